using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Consul.Queries;
using Discovery.Consul.Txn;
using Discovery.Consul.Watching;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Member;
using Microsoft.Extensions.Logging;
using Discovery.Core.Timing;

namespace Discovery.Core.Postgres.Failover;

/// <summary>
/// The failover leader of one cluster. Every member's node agent contends for
/// <c>&lt;prefix&gt;/pg/&lt;cluster&gt;/leader</c> (the scaler's fenced <see cref="ILeaderLock"/>); the holder
/// bootstraps the state, fails over when the primary has been failing for the grace, restarts a
/// crashed primary in place when no replica can take over, and carries out planned switchovers.
/// Every decision is one fenced transaction (check-session + CAS on the state + a history entry
/// carrying the fencing token), so a deposed leader cannot write and two leaders cannot both
/// decide the same generation. Nothing here touches postgres except read-only queries: the members'
/// agents act on the state. A leader that dies mid-way leaves the state as the whole truth: the next
/// one waits for the decided primary, confirms it, or decides again when it fails too.
/// </summary>
internal sealed partial class FailoverLeader
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan PromoteAllowance = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan SwitchoverTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ContendAgainDelay = TimeSpan.FromSeconds(1);
    private static readonly QueryOptions Consistent = new() { Consistency = ConsistencyMode.Consistent };

    private readonly PostgresConfig _config;
    private readonly string _node;
    private readonly ConsulClient _consul;
    private readonly ClusterKeys _keys;
    private readonly LeadershipLoop _leadership;
    private readonly string _superuserPassword;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake;
    private long _unhealthySince;
    private long _generationSeenAt;
    private long _generationSeen;
    private long _confirmed;
    private string? _lastNote;

    public FailoverLeader(PostgresConfig config, string node, ConsulClient consul, string kvPrefix, ILeaderLock leaderLock, string superuserPassword, TimeProvider time, ILogger<FailoverLeader> logger)
    {
        _config = config;
        _node = node;
        _consul = consul;
        _keys = new ClusterKeys(kvPrefix, config.Cluster);
        _leadership = new LeadershipLoop(leaderLock, $"postgres failover leader for {config.Cluster}", ContendAgainDelay, time, logger);
        _superuserPassword = superuserPassword;
        _time = time;
        _wake = new WakeSignal(time);
        _logger = logger;
    }

    /// <summary>Fencing token of the current term; null while not leading.</summary>
    public ulong? CurrentToken => _leadership.CurrentToken;

    /// <summary>Test seam: runs right after a decision was committed, before anything else (a test "kills" the leader there).</summary>
    internal Func<ClusterDecision, CancellationToken, Task>? AfterDecision { get; set; }

    /// <summary>Contends and leads until cancelled (the scaler's <see cref="LeadershipLoop"/>).</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _leadership.RunAsync(LeadAsync, cancellationToken);

    private async Task LeadAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        var history = new HistoryWriter(_consul, _keys, term, _node);
        await history.LoadAsync(cancellationToken).ConfigureAwait(false);
        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = WakeOnMemberChangesAsync(watchStop.Token);
        try
        {
            _unhealthySince = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var view = await ReadViewAsync(cancellationToken).ConfigureAwait(false);
                var decision = await EvaluateAsync(view, term, history, cancellationToken).ConfigureAwait(false);
                if (decision is not null && AfterDecision is { } hook)
                {
                    await hook(decision, cancellationToken).ConfigureAwait(false);
                }

                await _wake.WaitAsync(Tick, cancellationToken).ConfigureAwait(false); // a change, or the next check is due
            }
        }
        finally
        {
            await watchStop.CancelAsync().ConfigureAwait(false);
            await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task WakeOnMemberChangesAsync(CancellationToken cancellationToken)
    {
        var changes = BlockingWatch.WatchAsync(
            (options, token) => _consul.Health.ServiceAsync(_config.Cluster, options: options, cancellationToken: token),
            time: _time, cancellationToken: cancellationToken);
        await foreach (var _ in changes.ConfigureAwait(false))
        {
            _wake.Set();
        }
    }

    private async Task<ClusterView> ReadViewAsync(CancellationToken cancellationToken)
    {
        var stateRead = await _consul.KV.GetAsync(_keys.State, Consistent, cancellationToken).ConfigureAwait(false);
        ClusterState? state = null;
        if (stateRead.Value is { } pair)
        {
            state = ClusterStateJson.TryRead(pair.ValueAsString(), out var error);
            if (state is null)
            {
                // Never overwritten blindly: an operator must look (the members ignore it too).
                Note($"the state key holds no valid state ({error}); deciding nothing until it is fixed or deleted");
                return new ClusterView(null, ulong.MaxValue, [], null, 0);
            }
        }

        var members = new List<MemberReport>();
        foreach (var entry in (await _consul.Health.ServiceAsync(_config.Cluster, options: Consistent, cancellationToken: cancellationToken).ConfigureAwait(false)).Value)
        {
            if (MemberReport.TryRead(entry, out var error) is { } report)
            {
                members.Add(report);
            }
            else
            {
                LogInvalidMember(entry.Service.ID, error!);
            }
        }

        var requestRead = await _consul.KV.GetAsync(_keys.SwitchoverRequest, Consistent, cancellationToken).ConfigureAwait(false);
        SwitchoverRequest? request = null;
        if (requestRead.Value is { } requestPair && requestPair.ModifyIndex > (state?.HandledRequest ?? 0))
        {
            request = SwitchoverRequest.TryRead(requestPair.ValueAsString(), out var error);
            if (request is null)
            {
                Note($"ignoring switchover request: {error}");
            }
        }

        return new ClusterView(state, stateRead.Value?.ModifyIndex ?? 0, members, request, requestRead.Value?.ModifyIndex ?? 0);
    }

    private void Note(string text)
    {
        if (text != _lastNote)
        {
            _lastNote = text;
            LogNote(text);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "postgres failover leader: {Note}")]
    private partial void LogNote(string note);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres failover leader: ignoring registration {ServiceId}: {Reason}")]
    private partial void LogInvalidMember(string serviceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "postgres failover leader: decided {Kind}, generation {Generation}, primary {Primary}: {Reason}")]
    private partial void LogDecided(string kind, long generation, string primary, string reason);
}
