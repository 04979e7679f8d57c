using System.Text;
using Discovery.Consul.Queries;
using Discovery.Consul.Watching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Consul.Locking;

/// <summary>
/// <see cref="ILeaderLock"/> on a Consul KV key, built for fast, safe failover: each contender
/// ties its session to a TTL check it passes itself (plus serfHealth), so a dead or frozen
/// holder loses the key within about one check TTL plus a short lock-delay; the key is watched
/// with consistent blocking queries; the fencing token is the key's LockIndex; fenced writes
/// carry a check-session so Consul itself rejects a deposed holder.
/// </summary>
public sealed partial class ConsulLeaderLock : ILeaderLock
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly ConsulClient _client;
    private readonly LeaderLockOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FreezeGate _freeze = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly byte[] _holderValue;
    private ConsulLeaderTerm? _current;
    private int _disposed;

    /// <summary>Creates a contender; nothing is sent to Consul until <see cref="AcquireAsync"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public ConsulLeaderLock(ConsulClient client, LeaderLockOptions options, ILogger<ConsulLeaderLock>? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();
        _client = client;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _holderValue = Encoding.UTF8.GetBytes(options.HolderDescription ?? $"{Environment.MachineName} pid {Environment.ProcessId}");
    }

    /// <inheritdoc />
    public string Key => _options.Key;

    /// <inheritdoc />
    public async Task<LeaderTerm> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (_current is { } previous)
        {
            if (!previous.Lost.IsCancellationRequested)
            {
                throw new InvalidOperationException($"already leading {Key}; wait for the term's Lost before contending again");
            }

            // The lost term's session can never lead again: clean up its session and check.
            _current = null;
            await previous.DisposeAsync().ConfigureAwait(false);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = linked.Token;
        while (true)
        {
            token.ThrowIfCancellationRequested();
            LockSession? session = null;
            try
            {
                session = await LockSession.CreateAsync(_client, _options, _freeze, _logger, _time, token).ConfigureAwait(false);
                var term = await ContendAsync(session, token).ConfigureAwait(false);
                if (term is not null)
                {
                    _current = term;
                    term.Start();
                    Log.Acquired(_logger, Key, term.FencingToken, term.SessionId);
                    return term;
                }

                Log.ContenderSessionFailed(_logger, Key, session.FailureReason);
            }
            catch (ConsulException error) when (!token.IsCancellationRequested)
            {
                Log.ContendFailed(_logger, Key, error.Message);
            }
            catch
            {
                if (session is not null)
                {
                    await session.DisposeAsync().ConfigureAwait(false);
                }

                throw;
            }

            if (session is not null)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            await Task.Delay(RetryDelay, _time, token).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the current term (releasing the key) and stops contending.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (_current is { } term)
        {
            await term.DisposeAsync().ConfigureAwait(false);
        }

        _disposing.Dispose();
    }

    /// <summary>Test seam: simulates this process freezing (heartbeat, lease deadline and key watch stop).</summary>
    internal void Freeze() => _freeze.Freeze();

    /// <summary>Test seam: ends <see cref="Freeze"/>.</summary>
    internal void Thaw() => _freeze.Thaw();

    /// <summary>Waits for the key to be free and takes it; null when the session failed meanwhile.</summary>
    private async Task<ConsulLeaderTerm?> ContendAsync(LockSession session, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, session.Failed);
        var token = linked.Token;
        var consistent = new QueryOptions { Consistency = ConsistencyMode.Consistent };
        try
        {
            string? lastHolder = null;
            long? releasedAt = null;
            await foreach (var result in BlockingWatch.WatchAsync(
                               (query, ct) => _client.KV.GetAsync(Key, query, ct), consistent, new WatchOptions { Wait = _options.WatchWait },
                               (error, delay) => Log.WatchFailed(_logger, Key, error.Message, delay.TotalSeconds), _time, token).ConfigureAwait(false))
            {
                var holder = result.Value?.Session;
                if (string.IsNullOrEmpty(holder) && !string.IsNullOrEmpty(lastHolder) && lastHolder != session.SessionId)
                {
                    releasedAt = _time.GetTimestamp();
                }

                lastHolder = holder;
                while (string.IsNullOrEmpty(holder) || holder == session.SessionId)
                {
                    if (holder != session.SessionId)
                    {
                        await _client.KV.AcquireAsync(Key, session.SessionId, _holderValue, cancellationToken: token).ConfigureAwait(false);
                    }

                    var now = await _client.KV.GetAsync(Key, consistent, token).ConfigureAwait(false);
                    holder = now.Value?.Session;
                    if (holder == session.SessionId)
                    {
                        return new ConsulLeaderTerm(_client, _options, session, now.Value!.LockIndex, _freeze, _logger, _time);
                    }

                    if (string.IsNullOrEmpty(holder))
                    {
                        await Task.Delay(NextAttemptIn(releasedAt), _time, token).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (session.Failed.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        return null;
    }

    /// <summary>
    /// Refused: the previous holder's session ended and its lock-delay still lasts. It began on the
    /// server a moment before we saw the key free, so it is over one lock-delay after that; only
    /// later attempts (or an unknown start) use the short retry interval.
    /// </summary>
    private TimeSpan NextAttemptIn(long? releasedAt)
    {
        var untilDelayEnds = releasedAt is { } seen ? _options.LockDelay - _time.GetElapsedTime(seen) : TimeSpan.Zero;
        return untilDelayEnds > _options.AcquireRetryInterval ? untilDelayEnds : _options.AcquireRetryInterval;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "lock {Key}: acquired, fencing token {Token}, session {SessionId}")]
        public static partial void Acquired(ILogger logger, string key, ulong token, string sessionId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: contender session failed ({Reason}); starting a new one")]
        public static partial void ContenderSessionFailed(ILogger logger, string key, LeadershipLossReason? reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: contending failed ({Error}); trying again")]
        public static partial void ContendFailed(ILogger logger, string key, string error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "lock {Key}: watch failed ({Error}), next try in {Seconds:0.0}s")]
        public static partial void WatchFailed(ILogger logger, string key, string error, double seconds);
    }
}
