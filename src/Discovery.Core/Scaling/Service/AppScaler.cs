using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Consul.Queries;
using Discovery.Consul.Txn;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Placement;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// One app's leadership loop: contend for <c>apps/&lt;app&gt;/leader</c>; while leading, evaluate
/// every evaluation interval and re-place when eligible nodes change (<see cref="LeaderWakes"/>),
/// writing desired count, placement, scaler state and history in ONE fenced transaction
/// (<see cref="WritePlanner"/>) — and only what changed, so a quiet fleet costs Consul no write at
/// all. All state a successor needs (cooldowns, stabilization window, history sequence) is read
/// back from KV at the start of each term (<see cref="ScalingStateHandover.TakeOver"/>), so a new
/// leader continues where the old one stopped.
/// </summary>
internal sealed partial class AppScaler
{
    private static readonly QueryOptions Consistent = new() { Consistency = ConsistencyMode.Consistent };

    private readonly ScalerKeys _keys;
    private readonly ScalingPolicy _configPolicy;
    private readonly string _leaderName;
    private readonly ConsulClient _consul;
    private readonly IReadOnlyList<IMetricSource> _sources;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AppScalerOptions _options;
    private readonly OperatorKeys _operatorKeys;
    private readonly LeadershipLoop _leadership;

    public AppScaler(
        ScalerKeys keys,
        ScalingPolicy configPolicy,
        string leaderName,
        ConsulClient consul,
        ILeaderLock leaderLock,
        IReadOnlyList<IMetricSource> sources,
        TimeProvider time,
        ILogger logger,
        AppScalerOptions? options = null)
    {
        _keys = keys;
        _configPolicy = configPolicy;
        _leaderName = leaderName;
        _consul = consul;
        _sources = sources;
        _time = time;
        _logger = logger;
        _options = options ?? AppScalerOptions.Default;
        _operatorKeys = new OperatorKeys(keys, configPolicy, logger);
        _leadership = new LeadershipLoop(leaderLock, keys.App, _options.ContendAgainDelay, time, logger);
    }

    public string App => _keys.App;

    /// <summary>Fencing token of the current term; null while not leading (for tests and status).</summary>
    public ulong? CurrentTermToken => _leadership.CurrentToken;

    /// <summary>Committed writes in this process, across terms (a round that changes nothing writes nothing).</summary>
    public int CommittedWrites { get; private set; }

    /// <summary>Evaluations of the policy in this process, across terms, written or not.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Contends and leads until cancelled; a lost term is followed by contending again.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _leadership.RunAsync(LeadAsync, cancellationToken);

    private async Task LeadAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        var snapshot = await ReadSnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.PolicyText is null)
        {
            await SeedPolicyAsync(term, cancellationToken).ConfigureAwait(false);
        }

        var state = ScalingState.Empty;
        if (snapshot.ScalerStateText is not null)
        {
            if (ScalingStateJson.TryRead(snapshot.ScalerStateText, out var stored, out var error))
            {
                state = ScalingStateHandover.TakeOver(stored, _time.GetUtcNow());
            }
            else
            {
                LogStoredStateIgnored(App, error);
            }
        }

        var eligible = EligibleNodes.For(App, (await _consul.Health.ServiceAsync(
            EligibleNodes.NodeAgentService, passingOnly: true, options: Consistent, cancellationToken: cancellationToken).ConfigureAwait(false)).Value);
        await using var wakes = new LeaderWakes(_consul, _keys, _options, _time, _logger, cancellationToken);
        var cycle = new LeaderCycle(term, state, snapshot.HistorySequences, eligible, FirstOfTerm: true);
        var due = _time.GetUtcNow();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _time.GetUtcNow();
            if (now >= due)
            {
                var committed = await RoundAsync(cycle, evaluate: true, cancellationToken).ConfigureAwait(false);
                cycle = committed ?? cycle;
                due = _time.GetUtcNow() + (committed is null ? _options.RetryDelay : _operatorKeys.Policy.EvaluationInterval);
                continue;
            }

            var wake = await wakes.WaitAsync(due - now, cancellationToken).ConfigureAwait(false);
            if (wake is { EligibleNodes: null })
            {
                LogOperatorKeyChanged(App, wake.ChangedKey);
                due = now;
            }
            else if (wake?.EligibleNodes is { } nodes && !nodes.SequenceEqual(cycle.Eligible, StringComparer.Ordinal))
            {
                LogReplacing(App, nodes.Count == 0 ? "(none)" : string.Join(", ", nodes));
                cycle = cycle with { Eligible = nodes };
                cycle = await RoundAsync(cycle, evaluate: false, cancellationToken).ConfigureAwait(false) ?? cycle;
            }
        }
    }

    /// <summary>
    /// Seeds <c>policy</c> in KV from the config when absent, so operators (and `agent scale`) see
    /// and can override the policy in force. Fenced, and only if still absent: an operator's
    /// override written meanwhile wins.
    /// </summary>
    private async Task SeedPolicyAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        var result = await term.FencedWriteAsync(
            [TxnOperation.CheckNotExists(_keys.Policy), TxnOperation.Set(_keys.Policy, ScalingPolicyJson.Write(_configPolicy))],
            cancellationToken).ConfigureAwait(false);
        if (result.Committed)
        {
            LogSeeded(App, _keys.Policy);
        }
    }

    /// <summary>
    /// One read–decide–write round. <paramref name="evaluate"/> false only re-places the current
    /// count (eligible nodes changed). Returns the next cycle when committed (or nothing needed
    /// writing), null when the write was rolled back for a reason other than lost leadership.
    /// </summary>
    private async Task<LeaderCycle?> RoundAsync(LeaderCycle cycle, bool evaluate, CancellationToken cancellationToken)
    {
        var snapshot = await ReadSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var view = _operatorKeys.Decode(snapshot);
        ScalingDecision decision;
        var nextState = cycle.State;
        if (evaluate)
        {
            var readings = await ReadMetricsAsync(cancellationToken).ConfigureAwait(false);
            var evaluation = ScalingEvaluator.Evaluate(new ScalingInput(view.Policy, view.CurrentCount, readings, now, view.Hold, view.Paused), cycle.State);
            decision = evaluation.Decision;
            nextState = evaluation.NextState;
            Evaluations++;
        }
        else
        {
            decision = new ScalingDecision(ScalingDecisionKind.NoChange, view.CurrentCount, view.CurrentCount, "eligible nodes changed: re-placing", new Dictionary<string, MetricReading>(), now);
        }

        var placement = PlacementPlanner.Plan(decision.NewCount, cycle.Eligible, snapshot.PlacementCounts);
        if (!placement.CanPlace)
        {
            LogCannotPlace(App, placement.Reason);
        }

        var record = WritePlanner.ShouldRecord(evaluate, cycle.FirstOfTerm, decision.Kind, cycle.LastKind, placement.Moved);
        var plan = WritePlanner.Plan(
            _keys,
            new WritePlanInput(snapshot, decision, placement, nextState, view.Policy.ScaleDownStabilization, cycle.History, record, cycle.Term.FencingToken, _leaderName),
            _options.HistoryLimit);
        var next = cycle with { State = nextState, FirstOfTerm = false, LastKind = evaluate ? decision.Kind : cycle.LastKind };
        if (plan.Operations.Count == 0)
        {
            _operatorKeys.RememberCount(decision.NewCount);
            LogNothingToWrite(App, decision.Kind, decision.NewCount, decision.Reason);
            return next;
        }

        cancellationToken.ThrowIfCancellationRequested(); // losing leadership stops work before the write
        var result = await cycle.Term.FencedWriteAsync(plan.Operations, cancellationToken).ConfigureAwait(false);
        if (!result.Committed)
        {
            cycle.Term.Lost.ThrowIfCancellationRequested();
            LogRolledBack(App, string.Join("; ", result.Errors.Select(e => $"op {e.OpIndex}: {e.What}")));
            return null;
        }

        CommittedWrites++;
        _operatorKeys.RememberCount(decision.NewCount);
        var level = decision.Kind == ScalingDecisionKind.Scale || !evaluate ? LogLevel.Information : LogLevel.Debug;
        LogDecision(level, App, decision.Kind, decision.PreviousCount, decision.NewCount, decision.Reason, placement.Reason, cycle.Term.FencingToken);
        return next with { History = plan.HistoryAfter(cycle.History) };
    }

    private async Task<IReadOnlyDictionary<string, MetricReading>> ReadMetricsAsync(CancellationToken cancellationToken)
    {
        var readings = new Dictionary<string, MetricReading>(StringComparer.Ordinal);
        foreach (var source in _sources)
        {
            try
            {
                readings[source.Metric] = await source.ReadAsync(App, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                readings[source.Metric] = MetricReading.Missing($"source failed: {e.Message}");
            }
        }

        return readings;
    }

    private async Task<AppSnapshot> ReadSnapshotAsync(CancellationToken cancellationToken)
    {
        var pairs = await _consul.KV.ListAsync(_keys.AppPrefix, Consistent, cancellationToken).ConfigureAwait(false);
        return AppSnapshot.From(_keys, pairs.Value);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: ignoring stored scaler state, starting with no cooldowns: {Error}")]
    private partial void LogStoredStateIgnored(string app, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: {Key} changed; evaluating now")]
    private partial void LogOperatorKeyChanged(string app, string? key);

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: eligible nodes now {Nodes}; re-placing")]
    private partial void LogReplacing(string app, string nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: seeded {Key} from the config")]
    private partial void LogSeeded(string app, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: {Reason}; placement unchanged")]
    private partial void LogCannotPlace(string app, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: write rolled back ({Errors}); reading again shortly")]
    private partial void LogRolledBack(string app, string errors);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{App}: {Kind} at {Count}: {Reason}; nothing to write")]
    private partial void LogNothingToWrite(string app, ScalingDecisionKind kind, int count, string reason);

    [LoggerMessage(Message = "{App}: {Kind} {From} → {To}: {Reason}; {Placement} (token {Token})")]
    private partial void LogDecision(LogLevel level, string app, ScalingDecisionKind kind, int from, int to, string reason, string placement, ulong token);
}
