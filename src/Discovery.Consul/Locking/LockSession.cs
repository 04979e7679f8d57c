using System.Security.Cryptography;
using System.Text;
using Discovery.Consul.Agent;
using Discovery.Consul.Sessions;
using Microsoft.Extensions.Logging;

namespace Discovery.Consul.Locking;

/// <summary>
/// One contender's liveness in Consul: a node-level TTL check that this process passes every
/// heartbeat, and a session tied to that check plus the node's serfHealth. A killed or frozen
/// process stops passing the check, Consul turns it critical after the check TTL and
/// invalidates the session, releasing the lock — seconds, instead of a session TTL's 2×TTL reap.
/// </summary>
internal sealed partial class LockSession : IAsyncDisposable
{
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan SessionCreateTimeout = TimeSpan.FromSeconds(10);

    private readonly ConsulClient _client;
    private readonly LeaderLockOptions _options;
    private readonly FreezeGate _freeze;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _failed = new();
    private ITimer? _deadlineTimer;
    private Task _heartbeat = Task.CompletedTask;
    private LeadershipLossReason? _lastFailureKind;
    private int _failureReason = -1;
    private int _disposed;

    private LockSession(ConsulClient client, LeaderLockOptions options, FreezeGate freeze, ILogger logger, TimeProvider time, string checkId)
    {
        _client = client;
        _options = options;
        _freeze = freeze;
        _logger = logger;
        _time = time;
        CheckId = checkId;
    }

    public string CheckId { get; }

    public string SessionId { get; private set; } = "";

    /// <summary>Fires once the session can no longer be trusted to hold anything.</summary>
    public CancellationToken Failed => _failed.Token;

    /// <summary>Why <see cref="Failed"/> fired; null before.</summary>
    public LeadershipLossReason? FailureReason => Volatile.Read(ref _failureReason) is var reason and >= 0 ? (LeadershipLossReason)reason : null;

    /// <summary>Registers the check (passing), creates the session and starts heart-beating.</summary>
    public static async Task<LockSession> CreateAsync(ConsulClient client, LeaderLockOptions options, FreezeGate freeze, ILogger logger, TimeProvider time, CancellationToken cancellationToken)
    {
        var checkId = $"discovery-lock-{KeyHash(options.Key)}-{Guid.NewGuid():N}";
        var session = new LockSession(client, options, freeze, logger, time, checkId);
        try
        {
            await client.Agent.RegisterCheckAsync(new CheckDefinition
            {
                CheckId = checkId,
                Name = "discovery lock " + options.Key,
                Notes = "passed by the process contending for the lock; when it stops, the lock is released",
                Ttl = options.CheckTtl,
                Status = CheckStatus.Passing,
            }, cancellationToken: cancellationToken).ConfigureAwait(false);
            session.StartHeartbeat();
            session.SessionId = await session.CreateSessionAsync(cancellationToken).ConfigureAwait(false);
            Log.SessionCreated(logger, options.Key, session.SessionId, checkId);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops heart-beating, destroys the session (releasing anything it still holds) and removes the check.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _heartbeat.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_deadlineTimer is not null)
        {
            await _deadlineTimer.DisposeAsync().ConfigureAwait(false);
        }

        using var cleanup = new CancellationTokenSource(CleanupTimeout, _time);
        if (SessionId.Length > 0)
        {
            await BestEffortAsync(() => _client.Sessions.DestroyAsync(SessionId, cancellationToken: cleanup.Token), "destroy session").ConfigureAwait(false);
        }

        await BestEffortAsync(async () =>
        {
            await _client.Agent.DeregisterCheckAsync(CheckId, cancellationToken: cleanup.Token).ConfigureAwait(false);
            return true;
        }, "deregister check").ConfigureAwait(false);
        Fail(LeadershipLossReason.Released);
        _stop.Dispose();
    }

    /// <summary>Marks the session failed (first reason wins).</summary>
    public void Fail(LeadershipLossReason reason)
    {
        if (Interlocked.CompareExchange(ref _failureReason, (int)reason, -1) == -1)
        {
            _failed.Cancel();
        }
    }

    private void StartHeartbeat()
    {
        // The lease deadline: we stop claiming leadership when no heartbeat has been confirmed for
        // LeaseDeadline (default 3/4 of the check TTL), counted from when that heartbeat was SENT.
        // Consul can only hand the lock to someone else after our check has expired — at the
        // earliest CheckTtl after the last pass it applied, which was sent no earlier than our
        // last confirmed one — plus the lock-delay. Stepping down before CheckTtl has passed means
        // we are never still acting as leader while another holder exists, even if Consul (or the
        // path to it) is down and we cannot learn what it decided.
        _deadlineTimer = _time.CreateTimer(_ => OnLeaseDeadline(), null, _options.EffectiveLeaseDeadline, Timeout.InfiniteTimeSpan);
        _heartbeat = Task.Run(() => HeartbeatLoopAsync(_stop.Token));
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        var interval = _options.EffectiveHeartbeatInterval;
        var nextRenew = _options.SessionTtl is { } ttl ? _time.GetTimestamp() : 0;
        try
        {
            while (!_failed.IsCancellationRequested)
            {
                await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
                await _freeze.WaitAsync(cancellationToken).ConfigureAwait(false);
                var sentAt = _time.GetTimestamp();
                try
                {
                    await _client.Agent.PassTtlAsync(CheckId, "alive", cancellationToken: cancellationToken).ConfigureAwait(false);
                    if (_options.SessionTtl is { } sessionTtl && SessionId.Length > 0 && _time.GetElapsedTime(nextRenew) >= sessionTtl / 2)
                    {
                        if (await _client.Sessions.RenewAsync(SessionId, cancellationToken: cancellationToken).ConfigureAwait(false) is null)
                        {
                            Log.SessionGone(_logger, _options.Key, SessionId);
                            Fail(LeadershipLossReason.SessionInvalidated);
                            return;
                        }

                        nextRenew = sentAt;
                    }

                    _lastFailureKind = null;
                    var remaining = _options.EffectiveLeaseDeadline - _time.GetElapsedTime(sentAt);
                    _deadlineTimer?.Change(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                }
                catch (ConsulUnavailableException error)
                {
                    _lastFailureKind = LeadershipLossReason.ConsulUnreachable;
                    Log.HeartbeatFailed(_logger, _options.Key, error.Message);
                }
                catch (ConsulApiException error)
                {
                    // e.g. the check was removed behind our back: Consul answers but refuses the pass.
                    _lastFailureKind = LeadershipLossReason.RenewFailed;
                    Log.HeartbeatFailed(_logger, _options.Key, error.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // disposed
        }
    }

    private void OnLeaseDeadline()
    {
        if (_freeze.IsFrozen)
        {
            // A frozen process runs no timers; look again later.
            _deadlineTimer?.Change(TimeSpan.FromMilliseconds(100), Timeout.InfiniteTimeSpan);
            return;
        }

        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        var reason = _lastFailureKind ?? LeadershipLossReason.ConsulUnreachable;
        Log.LeaseExpired(_logger, _options.Key, _options.EffectiveLeaseDeadline.TotalSeconds, reason);
        Fail(reason);
    }

    private async Task<string> CreateSessionAsync(CancellationToken cancellationToken)
    {
        var request = new SessionRequest
        {
            Name = _options.SessionName ?? "discovery-lock " + _options.Key,
            Checks = ["serfHealth", CheckId],
            LockDelay = _options.LockDelay,
            Behavior = SessionBehavior.Release,
            Ttl = _options.SessionTtl,
        };
        var started = _time.GetTimestamp();
        while (true)
        {
            try
            {
                return await _client.Sessions.CreateAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ConsulApiException error) when (error.ConsulMessage.Contains("Missing check", StringComparison.OrdinalIgnoreCase)
                                                   && _time.GetElapsedTime(started) < SessionCreateTimeout)
            {
                // The agent syncs a new check to the servers asynchronously; the session create
                // (answered by the servers) can race ahead of it.
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task BestEffortAsync(Func<Task<bool>> action, string what)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception error) when (error is ConsulException or OperationCanceledException)
        {
            Log.CleanupFailed(_logger, _options.Key, what, error.Message);
        }
    }

    private static string KeyHash(string key) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..8];

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Debug, Message = "lock {Key}: session {SessionId} created, tied to check {CheckId} and serfHealth")]
        public static partial void SessionCreated(ILogger logger, string key, string sessionId, string checkId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: heartbeat failed: {Error}")]
        public static partial void HeartbeatFailed(ILogger logger, string key, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: session {SessionId} is gone (renew found nothing)")]
        public static partial void SessionGone(ILogger logger, string key, string sessionId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: no confirmed heartbeat for {Seconds}s, stepping down ({Reason})")]
        public static partial void LeaseExpired(ILogger logger, string key, double seconds, LeadershipLossReason reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: cleanup ({What}) failed: {Error}")]
        public static partial void CleanupFailed(ILogger logger, string key, string what, string error);
    }
}
