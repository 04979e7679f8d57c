using System.Globalization;
using System.Threading.Channels;
using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Consul.Queries;
using Discovery.Consul.Txn;
using Discovery.Consul.Watching;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Placement;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// One app's leadership loop: contend for <c>apps/&lt;app&gt;/leader</c>; while leading, evaluate
/// every evaluation interval and re-place when eligible nodes change, writing desired count,
/// placement, scaler state and history in ONE fenced transaction — and only what changed, so a
/// quiet fleet costs Consul no write at all (<see cref="ScalingStateHandover"/> says when the state
/// is written). All state a successor needs (cooldowns, stabilization window, history sequence) is
/// read back from KV at the start of each term, so a new leader continues where the old one stopped.
/// </summary>
internal sealed partial class AppScaler
{
    private readonly ScalerKeys _keys;
    private readonly ScalingPolicy _configPolicy;
    private readonly string _leaderName;
    private readonly ConsulClient _consul;
    private readonly ILeaderLock _lock;
    private readonly IReadOnlyList<IMetricSource> _sources;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AppScalerOptions _options;

    // Survive across terms on purpose: a garbage KV value keeps what this process last knew.
    private ScalingPolicy _policy;
    private string? _rejectedPolicyText;
    private bool _paused;
    private int? _lastKnownCount;

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
        _policy = configPolicy;
        _leaderName = leaderName;
        _consul = consul;
        _lock = leaderLock;
        _sources = sources;
        _time = time;
        _logger = logger;
        _options = options ?? AppScalerOptions.Default;
    }

    public string App => _keys.App;

    /// <summary>Fencing token of the current term; null while not leading (for tests and status).</summary>
    public ulong? CurrentTermToken { get; private set; }

    /// <summary>Committed writes in this process, across terms (an evaluation that changes nothing writes nothing).</summary>
    public int CommittedWrites { get; private set; }

    /// <summary>Evaluations of the policy in this process, across terms, written or not.</summary>
    public int Evaluations { get; private set; }

    /// <summary>Contends and leads until cancelled; a lost term is followed by contending again.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            LeaderTerm term;
            try
            {
                term = await _lock.AcquireAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is ConsulUnavailableException or ConsulApiException)
            {
                _logger.LogWarning("{App}: cannot contend for {Key}: {Error}", App, _keys.Leader, e.Message);
                await DelayAsync(_options.ContendAgainDelay, cancellationToken).ConfigureAwait(false);
                continue;
            }

            await using (term.ConfigureAwait(false))
            {
                _logger.LogInformation("{App}: leading with fencing token {Token}", App, term.FencingToken);
                CurrentTermToken = term.FencingToken;
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, term.Lost);
                try
                {
                    await LeadAsync(term, leading.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    _logger.LogInformation("{App}: stopping; releasing leadership", App);
                }
                catch (OperationCanceledException) when (term.Lost.IsCancellationRequested)
                {
                    _logger.LogWarning("{App}: lost leadership ({Reason}); stopped before the next write", App, term.LossReason);
                }
                catch (Exception e) when (e is ConsulUnavailableException or ConsulApiException)
                {
                    // Releasing and contending again is safer than leading on with unknown state.
                    _logger.LogWarning("{App}: Consul failed while leading, stepping down: {Error}", App, e.Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bug must not end scaling for good: step down, let another scaler (or this
                    // one, after a pause) lead, and leave the stack trace in the log.
                    _logger.LogError(e, "{App}: unexpected failure while leading, stepping down", App);
                }
                finally
                {
                    CurrentTermToken = null;
                }
            }

            if (!cancellationToken.IsCancellationRequested && term.LossReason is not LeadershipLossReason.Released)
            {
                await DelayAsync(_options.ContendAgainDelay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

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
                _logger.LogWarning("{App}: ignoring stored scaler state, starting with no cooldowns: {Error}", App, error);
            }
        }

        var history = new List<long>(snapshot.HistorySequences);
        var eligible = EligibleNodes.For(App, (await _consul.Health.ServiceAsync(
            EligibleNodes.NodeAgentService, passingOnly: true, options: Consistent, cancellationToken: cancellationToken).ConfigureAwait(false)).Value);

        // Wakes: eligible nodes changed (re-place), or an operator changed hold/autoscale/policy
        // (evaluate now, so `agent scale --to N` acts in about a second, not at the next interval).
        var wakes = Channel.CreateUnbounded<Wake>(new UnboundedChannelOptions { SingleReader = true });
        using var watchStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = Task.WhenAll(
            WatchNodesAsync(wakes.Writer, watchStop.Token),
            WatchOperatorKeyAsync(_keys.Hold, wakes.Writer, watchStop.Token),
            WatchOperatorKeyAsync(_keys.Autoscale, wakes.Writer, watchStop.Token),
            WatchOperatorKeyAsync(_keys.Policy, wakes.Writer, watchStop.Token));
        try
        {
            var cycle = new Cycle(term, state, history, eligible, FirstOfTerm: true);
            var due = _time.GetUtcNow();
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var now = _time.GetUtcNow();
                if (now >= due)
                {
                    var committed = await EvaluateAsync(cycle, evaluate: true, cancellationToken).ConfigureAwait(false);
                    cycle = committed ?? cycle;
                    due = _time.GetUtcNow() + (committed is null ? _options.RetryDelay : _policy.EvaluationInterval);
                    continue;
                }

                var wake = await WaitForWakeAsync(wakes.Reader, due - now, cancellationToken).ConfigureAwait(false);
                if (wake is { EligibleNodes: null })
                {
                    _logger.LogInformation("{App}: {Key} changed; evaluating now", App, wake.ChangedKey);
                    due = now;
                    continue;
                }

                if (wake?.EligibleNodes is { } nodes && !nodes.SequenceEqual(cycle.Eligible, StringComparer.Ordinal))
                {
                    _logger.LogInformation("{App}: eligible nodes now {Nodes}; re-placing", App, nodes.Count == 0 ? "(none)" : string.Join(", ", nodes));
                    cycle = cycle with { Eligible = nodes };
                    cycle = await EvaluateAsync(cycle, evaluate: false, cancellationToken).ConfigureAwait(false) ?? cycle;
                }
            }
        }
        finally
        {
            await watchStop.CancelAsync().ConfigureAwait(false);
            try
            {
                await watch.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the watch ends with the term
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
            _logger.LogInformation("{App}: seeded {Key} from the config", App, _keys.Policy);
        }
    }

    /// <summary>
    /// One read–decide–write round. <paramref name="evaluate"/> false only re-places the current
    /// count (eligible nodes changed). Returns the next cycle when committed (or nothing needed
    /// writing), null when the write was rolled back for a reason other than lost leadership.
    /// </summary>
    private async Task<Cycle?> EvaluateAsync(Cycle cycle, bool evaluate, CancellationToken cancellationToken)
    {
        var snapshot = await ReadSnapshotAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var policy = ResolvePolicy(snapshot.PolicyText);
        var current = ResolveCurrentCount(snapshot, policy);
        var hold = ResolveHold(snapshot.HoldText);
        var paused = ResolvePaused(snapshot.AutoscaleText);

        ScalingDecision decision;
        var nextState = cycle.State;
        if (evaluate)
        {
            var readings = await ReadMetricsAsync(cancellationToken).ConfigureAwait(false);
            var evaluation = ScalingEvaluator.Evaluate(new ScalingInput(policy, current, readings, now, hold, paused), cycle.State);
            decision = evaluation.Decision;
            nextState = evaluation.NextState;
            Evaluations++;
        }
        else
        {
            decision = new ScalingDecision(ScalingDecisionKind.NoChange, current, current, "eligible nodes changed: re-placing", new Dictionary<string, MetricReading>(), now);
        }

        var plan = PlacementPlanner.Plan(decision.NewCount, cycle.Eligible, snapshot.PlacementCounts);
        if (!plan.CanPlace)
        {
            _logger.LogWarning("{App}: {Reason}; placement unchanged", App, plan.Reason);
        }

        var operations = new List<TxnOperation>();
        var newText = decision.NewCount.ToString(CultureInfo.InvariantCulture);
        if (snapshot.DesiredText != newText)
        {
            // CAS against the value just read: an operator's `agent scale` in between rolls this
            // back instead of being overwritten, and the next round honours it.
            operations.Add(TxnOperation.Cas(_keys.Desired, System.Text.Encoding.UTF8.GetBytes(newText), snapshot.Desired?.ModifyIndex ?? 0));
        }

        if (plan.CanPlace)
        {
            foreach (var (node, count) in plan.Counts)
            {
                var text = count.ToString(CultureInfo.InvariantCulture);
                if (!snapshot.PlacementText.TryGetValue(node, out var stored) || stored != text)
                {
                    operations.Add(TxnOperation.Set(_keys.Placement(node), text));
                }
            }
        }

        if (StateMustBeWritten(snapshot.ScalerStateText, nextState, now, policy))
        {
            operations.Add(TxnOperation.Set(_keys.ScalerState, ScalingStateJson.Write(nextState)));
        }

        var history = cycle.History;
        var record = evaluate && (cycle.FirstOfTerm || decision.Kind == ScalingDecisionKind.Scale || decision.Kind != cycle.LastKind)
                     || (!evaluate && plan.Moved > 0);
        long? sequence = null;
        IReadOnlyList<long> expired = [];
        if (record)
        {
            sequence = (history.Count == 0 ? 0 : history[^1]) + 1;
            operations.Add(TxnOperation.Set(_keys.History(sequence.Value), DecisionRecordJson.Write(ToRecord(sequence.Value, decision, plan, cycle.Term))));

            // Bounded per round so a long-neglected history cannot overflow the transaction limit.
            expired = history.Take(Math.Max(history.Count + 1 - _options.HistoryLimit, 0)).Take(16).ToList();
            operations.AddRange(expired.Select(old => TxnOperation.Delete(_keys.History(old))));
        }

        var next = cycle with { State = nextState, FirstOfTerm = false, LastKind = evaluate ? decision.Kind : cycle.LastKind };
        if (operations.Count == 0)
        {
            _lastKnownCount = decision.NewCount;
            LogNothingToWrite(App, decision.Kind, decision.NewCount, decision.Reason);
            return next;
        }

        cancellationToken.ThrowIfCancellationRequested(); // losing leadership stops work before the write
        var result = await cycle.Term.FencedWriteAsync(operations, cancellationToken).ConfigureAwait(false);
        if (!result.Committed)
        {
            cycle.Term.Lost.ThrowIfCancellationRequested();
            _logger.LogWarning("{App}: write rolled back ({Errors}); reading again shortly", App,
                string.Join("; ", result.Errors.Select(e => $"op {e.OpIndex}: {e.What}")));
            return null;
        }

        CommittedWrites++;
        _lastKnownCount = decision.NewCount;
        if (sequence is { } written)
        {
            next = next with { History = history.Except(expired).Append(written).ToList() };
        }

        var level = decision.Kind == ScalingDecisionKind.Scale || !evaluate ? LogLevel.Information : LogLevel.Debug;
        _logger.Log(level, "{App}: {Kind} {From} → {To}: {Reason}; {Placement} (token {Token})",
            App, decision.Kind, decision.PreviousCount, decision.NewCount, decision.Reason, plan.Reason, cycle.Term.FencingToken);
        return next;
    }

    /// <summary>Whether <paramref name="next"/> differs from the stored state in what a successor would decide by; unreadable stored state is rewritten.</summary>
    private static bool StateMustBeWritten(string? storedText, ScalingState next, DateTimeOffset now, ScalingPolicy policy)
    {
        var stored = ScalingStateJson.TryRead(storedText, out var parsed, out _) ? parsed : null;
        return ScalingStateHandover.MustWrite(stored, next, now, policy.ScaleDownStabilization);
    }

    private DecisionRecord ToRecord(long sequence, ScalingDecision decision, PlacementPlan plan, LeaderTerm term) => new(
        sequence,
        decision.At,
        decision.Kind.ToString().ToLowerInvariant(),
        decision.PreviousCount,
        decision.NewCount,
        decision.Reason,
        decision.Metrics.ToDictionary(m => m.Key, m => m.Value.Value, StringComparer.Ordinal),
        decision.Metrics.Where(m => m.Value.IsMissing).ToDictionary(m => m.Key, m => m.Value.MissingReason!, StringComparer.Ordinal),
        plan.CanPlace ? plan.Counts : new Dictionary<string, int>(),
        term.FencingToken,
        _leaderName);

    private ScalingPolicy ResolvePolicy(string? text)
    {
        if (text is null)
        {
            _policy = _configPolicy;
            _rejectedPolicyText = null;
            return _policy;
        }

        var parsed = ScalingPolicyJson.Read(text, _configPolicy);
        if (parsed.Policy is { } policy)
        {
            _policy = policy;
            _rejectedPolicyText = null;
        }
        else if (text != _rejectedPolicyText)
        {
            _rejectedPolicyText = text;
            _logger.LogWarning("{App}: ignoring invalid policy at {Key}, keeping the last valid one: {Errors}", App, _keys.Policy, string.Join("; ", parsed.Errors));
        }

        return _policy;
    }

    private int ResolveCurrentCount(AppSnapshot snapshot, ScalingPolicy policy)
    {
        if (snapshot.DesiredCount is { } count)
        {
            return count;
        }

        // Never scale from garbage: keep the count this leader last wrote, else what is placed,
        // else the policy's minimum (a fresh app).
        var placed = snapshot.PlacementCounts.Values.Sum();
        var kept = _lastKnownCount ?? (placed > 0 ? placed : policy.Min);
        if (snapshot.DesiredText is not null)
        {
            _logger.LogWarning("{App}: ignoring invalid desired count \"{Value}\" at {Key}; keeping {Count}", App, Shorten(snapshot.DesiredText), _keys.Desired, kept);
        }

        return kept;
    }

    private ManualHold? ResolveHold(string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (HoldJson.TryRead(text, out var hold, out var error))
        {
            return hold;
        }

        _logger.LogWarning("{App}: ignoring invalid hold at {Key}: {Error}", App, _keys.Hold, error);
        return null;
    }

    private bool ResolvePaused(string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "on":
                _paused = false;
                break;
            case "off":
                _paused = true;
                break;
            default:
                _logger.LogWarning("{App}: ignoring \"{Value}\" at {Key} (use on or off); autoscaling stays {State}", App, Shorten(text), _keys.Autoscale, _paused ? "off" : "on");
                break;
        }

        return _paused;
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

    /// <summary>Wakes the leader when the set of eligible nodes changes (not when the catalog's index merely moves).</summary>
    private async Task WatchNodesAsync(ChannelWriter<Wake> writer, CancellationToken cancellationToken)
    {
        var nodes = BlockingWatch.WatchAsync(
                (options, ct) => _consul.Health.ServiceAsync(EligibleNodes.NodeAgentService, passingOnly: true, options: options, cancellationToken: ct),
                options: _options.NodeWatch,
                onError: (error, delay) => _logger.LogWarning("{App}: node agent watch failed, retrying in {Delay}: {Error}", App, delay, error.Message),
                time: _time,
                cancellationToken: cancellationToken)
            .Select(result => EligibleNodes.For(App, result.Value))
            .WhereChanged(SequenceComparer<string>.Default, _ => LogWokeUnchanged(App, EligibleNodes.NodeAgentService), cancellationToken);
        await foreach (var eligible in nodes.ConfigureAwait(false))
        {
            writer.TryWrite(new Wake(eligible, null));
        }
    }

    /// <summary>
    /// Wakes the leader when an operator key's content changes (the first read is the state the term
    /// started from). hold and autoscale are usually missing, and a blocking read of a missing key
    /// returns on every KV write anywhere — acting on those wake-ups was issue 19's feedback loop.
    /// </summary>
    private async Task WatchOperatorKeyAsync(string key, ChannelWriter<Wake> writer, CancellationToken cancellationToken)
    {
        var changes = BlockingWatch.WatchAsync(
                (options, ct) => _consul.KV.GetAsync(key, options, ct),
                options: _options.NodeWatch,
                onError: (error, delay) => _logger.LogWarning("{App}: watch of {Key} failed, retrying in {Delay}: {Error}", App, key, delay, error.Message),
                time: _time,
                cancellationToken: cancellationToken)
            .Select(result => result.Value)
            .WhereChanged(KVPairComparer.Content, _ => LogWokeUnchanged(App, key), cancellationToken);
        var first = true;
        await foreach (var _ in changes.ConfigureAwait(false))
        {
            if (!first)
            {
                writer.TryWrite(new Wake(null, key));
            }

            first = false;
        }
    }

    private async Task<Wake?> WaitForWakeAsync(ChannelReader<Wake> reader, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (reader.TryRead(out var ready))
        {
            return ready;
        }

        using var due = new CancellationTokenSource(timeout, _time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, due.Token);
        try
        {
            await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // evaluation is due
        }

        return reader.TryRead(out var wake) ? wake : null;
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    private static QueryOptions Consistent { get; } = new() { Consistency = ConsistencyMode.Consistent };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    [LoggerMessage(Level = LogLevel.Debug, Message = "{App}: {What} woke the watch without a change")]
    private partial void LogWokeUnchanged(string app, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{App}: {Kind} at {Count}: {Reason}; nothing to write")]
    private partial void LogNothingToWrite(string app, ScalingDecisionKind kind, int count, string reason);

    /// <summary>Why the leader loop woke before its evaluation was due.</summary>
    /// <param name="EligibleNodes">The node set, when it changed; null for an operator change.</param>
    /// <param name="ChangedKey">The operator key that changed.</param>
    private sealed record Wake(IReadOnlyList<string>? EligibleNodes, string? ChangedKey);

    /// <summary>What one term carries from round to round.</summary>
    private sealed record Cycle(LeaderTerm Term, ScalingState State, IReadOnlyList<long> History, IReadOnlyList<string> Eligible, bool FirstOfTerm)
    {
        public ScalingDecisionKind? LastKind { get; init; }
    }
}
