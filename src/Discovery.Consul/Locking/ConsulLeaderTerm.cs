using Discovery.Consul.Queries;
using Discovery.Consul.Txn;
using Discovery.Consul.Watching;
using Microsoft.Extensions.Logging;

namespace Discovery.Consul.Locking;

/// <summary>
/// A term held through a <see cref="LockSession"/>. Leadership ends on the first of: the
/// session failing locally (lease deadline, renew found it gone), the key's consistent watch
/// showing another session, no session or no key, a fenced write rejected by the session check,
/// or dispose.
/// </summary>
internal sealed partial class ConsulLeaderTerm : LeaderTerm
{
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(3);

    private readonly ConsulClient _client;
    private readonly LeaderLockOptions _options;
    private readonly LockSession _session;
    private readonly FreezeGate _freeze;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _stopWatch = new();
    private CancellationTokenRegistration _sessionFailed;
    private Task _watch = Task.CompletedTask;
    private int _lossReason = -1;
    private int _disposed;

    public ConsulLeaderTerm(ConsulClient client, LeaderLockOptions options, LockSession session, ulong fencingToken, FreezeGate freeze, ILogger logger, TimeProvider time)
    {
        _client = client;
        _options = options;
        _session = session;
        _freeze = freeze;
        _logger = logger;
        _time = time;
        FencingToken = fencingToken;
    }

    public override string Key => _options.Key;

    public override string SessionId => _session.SessionId;

    public override ulong FencingToken { get; }

    public override CancellationToken Lost => _lost.Token;

    public override LeadershipLossReason? LossReason => Volatile.Read(ref _lossReason) is var reason and >= 0 ? (LeadershipLossReason)reason : null;

    /// <summary>Starts following the session and the key.</summary>
    public void Start()
    {
        _sessionFailed = _session.Failed.Register(() => Lose(_session.FailureReason ?? LeadershipLossReason.RenewFailed, "the session's heartbeat failed"));
        _watch = Task.Run(() => WatchKeyAsync(_stopWatch.Token));
    }

    public override async Task<TxnResult> FencedWriteAsync(IReadOnlyList<TxnOperation> operations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operations);

        // Sent even after Lost fired: Consul, not our local view, decides. The check-session
        // makes the whole transaction fail unless this session still holds the key.
        var fenced = new List<TxnOperation>(operations.Count + 1) { TxnOperation.CheckSession(Key, SessionId) };
        fenced.AddRange(operations);
        var result = await _client.Txn.ExecuteAsync(fenced, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Committed && result.Errors.Any(error => error.OpIndex == 0))
        {
            Lose(LeadershipLossReason.SessionInvalidated, "a fenced write was rejected: " + result.Errors[0].What);
        }

        return result;
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Stop leader work first, then give the key up: a released key carries no lock-delay, so
        // the next holder can take it at once (a destroyed session would impose the delay).
        Lose(LeadershipLossReason.Released, "released by its holder");
        await _stopWatch.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _sessionFailed.DisposeAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(ReleaseTimeout, _time))
        {
            try
            {
                await _client.KV.ReleaseAsync(Key, SessionId, cancellationToken: timeout.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (error is ConsulException or OperationCanceledException)
            {
                Log.ReleaseFailed(_logger, Key, error.Message);
            }
        }

        await _session.DisposeAsync().ConfigureAwait(false);
        _stopWatch.Dispose();
    }

    private async Task WatchKeyAsync(CancellationToken cancellationToken)
    {
        var consistent = new QueryOptions { Consistency = ConsistencyMode.Consistent };
        var watchOptions = new WatchOptions { Wait = _options.WatchWait };
        try
        {
            await foreach (var result in BlockingWatch.WatchAsync(
                               (query, ct) => _client.KV.GetAsync(Key, query, ct), consistent, watchOptions,
                               (error, delay) => Log.WatchFailed(_logger, Key, error.Message, delay.TotalSeconds), _time, cancellationToken).ConfigureAwait(false))
            {
                await _freeze.WaitAsync(cancellationToken).ConfigureAwait(false);
                var pair = result.Value;
                if (pair is null)
                {
                    Lose(LeadershipLossReason.KeyTaken, "the key was deleted");
                }
                else if (string.IsNullOrEmpty(pair.Session))
                {
                    // Only our session could release it; with behavior=release an invalidated session leaves the key free.
                    Lose(LeadershipLossReason.SessionInvalidated, "the key has no holder: the session was invalidated");
                }
                else if (pair.Session != SessionId)
                {
                    Lose(LeadershipLossReason.KeyTaken, "the key is held by session " + pair.Session);
                }
                else if (pair.LockIndex != FencingToken)
                {
                    Lose(LeadershipLossReason.KeyTaken, $"the key was re-acquired (lock index {pair.LockIndex}, ours {FencingToken})");
                }

                if (_lost.IsCancellationRequested)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // disposed
        }
    }

    private void Lose(LeadershipLossReason reason, string why)
    {
        if (Interlocked.CompareExchange(ref _lossReason, (int)reason, -1) != -1)
        {
            return;
        }

        if (reason != LeadershipLossReason.Released)
        {
            Log.LeadershipLost(_logger, Key, FencingToken, reason, why);
        }

        // A released key is our own doing; anything else means the session cannot be reused.
        _session.Fail(reason);
        _lost.Cancel();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: leadership (token {Token}) lost, {Reason}: {Why}")]
        public static partial void LeadershipLost(ILogger logger, string key, ulong token, LeadershipLossReason reason, string why);

        [LoggerMessage(Level = LogLevel.Warning, Message = "lock {Key}: release failed (the session's destruction frees the key): {Error}")]
        public static partial void ReleaseFailed(ILogger logger, string key, string error);

        [LoggerMessage(Level = LogLevel.Debug, Message = "lock {Key}: watch failed ({Error}), next try in {Seconds:0.0}s")]
        public static partial void WatchFailed(ILogger logger, string key, string error, double seconds);
    }
}
