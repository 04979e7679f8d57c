using System.Globalization;
using System.Text;
using Discovery.Consul.KV;
using Discovery.Consul.Txn;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Placement;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Tests.Scaling.Store;

/// <summary>The leader's write step as a pure function: snapshot + decision + placement → transaction operations.</summary>
public sealed class WritePlannerTests
{
    private static readonly ScalerKeys Keys = new("discovery", "web");
    private static readonly DateTimeOffset At = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly ScalingState State = new() { LastScaleUpAt = At };
    private static readonly TimeSpan Stabilization = TimeSpan.FromMinutes(2);

    public static TheoryData<string, int, int, string, string[]> Rounds => new()
    {
        // case, from, to, placement (node=count,… or "none"), expected operations
        { "quiet round: KV already says it all", 2, 2, "n1=1,n2=1", [] },
        { "scale up: desired by CAS, only the changed node", 2, 3, "n1=2,n2=1", ["cas discovery/apps/web/desired=3 @7", "set discovery/apps/web/placement/n1=2"] },
        { "new node gets its key", 2, 2, "n1=1,n2=0,n3=1", ["set discovery/apps/web/placement/n2=0", "set discovery/apps/web/placement/n3=1"] },
        { "no eligible node: placement left alone", 2, 3, "none", ["cas discovery/apps/web/desired=3 @7"] },
    };

    [Theory]
    [MemberData(nameof(Rounds))]
    public void Plan_Round_WritesOnlyWhatDiffers(string name, int from, int to, string placement, string[] expected)
    {
        var snapshot = Snapshot(desired: "2", placement: new() { ["n1"] = "1", ["n2"] = "1" }, state: ScalingStateJson.Write(State));
        var input = Input(snapshot, Decision(from, to), Placement(placement), record: false);

        var plan = WritePlanner.Plan(Keys, input, historyLimit: 50);

        Assert.True(expected.SequenceEqual(plan.Operations.Select(Describe)), $"{name}: {string.Join(" | ", plan.Operations.Select(Describe))}");
        Assert.Null(plan.RecordedSequence);
    }

    [Theory]
    [InlineData(null, "cas discovery/apps/web/desired=1 @0")] // absent: CAS 0 = only if still absent
    [InlineData("garbage", "cas discovery/apps/web/desired=1 @7")]
    public void Plan_DesiredMissingOrGarbage_WrittenByCas(string? stored, string expected)
    {
        var snapshot = Snapshot(desired: stored, placement: new() { ["n1"] = "1" }, state: ScalingStateJson.Write(State));

        var plan = WritePlanner.Plan(Keys, Input(snapshot, Decision(1, 1), Placement("n1=1"), record: false), historyLimit: 50);

        Assert.Equal([expected], plan.Operations.Select(Describe));
    }

    [Fact]
    public void Plan_GarbagePlacementAndChangedState_BothRewritten()
    {
        var snapshot = Snapshot(desired: "1", placement: new() { ["n1"] = "one" }, state: "{\"old\":true}");

        var plan = WritePlanner.Plan(Keys, Input(snapshot, Decision(1, 1), Placement("n1=1"), record: false), historyLimit: 50);

        Assert.Equal(
            ["set discovery/apps/web/placement/n1=1", $"set discovery/apps/web/scaler-state={ScalingStateJson.Write(State)}"],
            plan.Operations.Select(Describe));
    }

    [Fact]
    public void Plan_StateDiffersOnlyInTheNewestStepsTime_NotWritten()
    {
        var stored = State with { Recommendations = [new TimedRecommendation(At.AddMinutes(-10), 2)] };
        var current = State with { Recommendations = [new TimedRecommendation(At, 2)] };
        var snapshot = Snapshot(desired: "2", placement: new() { ["n1"] = "2" }, state: ScalingStateJson.Write(stored));

        var quiet = WritePlanner.Plan(Keys, Input(snapshot, Decision(2, 2), Placement("n1=2"), record: false) with { NextState = current }, historyLimit: 50);
        var moved = WritePlanner.Plan(Keys, Input(snapshot, Decision(2, 2), Placement("n1=2"), record: false) with { NextState = current with { Recommendations = [new TimedRecommendation(At, 1)] } }, historyLimit: 50);

        Assert.Empty(quiet.Operations); // the same recommendation again: a successor would decide the same
        Assert.Equal(["set discovery/apps/web/scaler-state"], moved.Operations.Select(operation => Describe(operation).Split('=')[0]));
    }

    [Theory]
    [InlineData(new long[0], 50, 1L, new long[0])]
    [InlineData(new long[] { 4, 5, 9 }, 50, 10L, new long[0])]
    [InlineData(new long[] { 1, 2, 3 }, 3, 4L, new long[] { 1 })]
    [InlineData(new long[] { 1, 2, 3 }, 1, 4L, new long[] { 1, 2, 3 })]
    public void Plan_RecordedDecision_NextSequenceAndOldestPruned(long[] history, int limit, long sequence, long[] expired)
    {
        var snapshot = Snapshot(desired: "2", placement: new() { ["n1"] = "1", ["n2"] = "1" }, state: ScalingStateJson.Write(State));

        var plan = WritePlanner.Plan(Keys, Input(snapshot, Decision(2, 2), Placement("n1=1,n2=1"), record: true, history), limit);

        Assert.Equal(sequence, plan.RecordedSequence);
        Assert.Equal(expired, plan.ExpiredSequences);
        Assert.Equal(
            [$"set {Keys.History(sequence)}", .. expired.Select(old => $"delete {Keys.History(old)}")],
            plan.Operations.Select(operation => Describe(operation).Split('=')[0]));
        Assert.Equal([.. history.Except(expired), sequence], plan.HistoryAfter(history));
    }

    [Fact]
    public void Plan_LongNeglectedHistory_PrunesAtMost16PerRound()
    {
        var history = Enumerable.Range(1, 100).Select(i => (long)i).ToArray();
        var snapshot = Snapshot(desired: "2", placement: new() { ["n1"] = "2" }, state: ScalingStateJson.Write(State));

        var plan = WritePlanner.Plan(Keys, Input(snapshot, Decision(2, 2), Placement("n1=2"), record: true, history), historyLimit: 50);

        Assert.Equal(Enumerable.Range(1, WritePlanner.MaxPrunedPerRound).Select(i => (long)i), plan.ExpiredSequences);
        Assert.Equal(1 + WritePlanner.MaxPrunedPerRound, plan.Operations.Count);
    }

    [Fact]
    public void Plan_RecordedDecision_HistoryEntryCarriesDecisionPlacementAndToken()
    {
        var snapshot = Snapshot(desired: "2", placement: new() { ["n1"] = "1", ["n2"] = "1" }, state: ScalingStateJson.Write(State));
        var decision = Decision(2, 3) with { Metrics = new Dictionary<string, MetricReading> { ["requestsPerMinute"] = MetricReading.Missing("no load balancer") } };

        var plan = WritePlanner.Plan(Keys, Input(snapshot, decision, Placement("n1=2,n2=1"), record: true), historyLimit: 50);

        var entry = plan.Operations.Single(operation => operation.KV!.Key == Keys.History(1));
        var record = DecisionRecordJson.TryRead(Encoding.UTF8.GetString(entry.KV!.Value!))!;
        Assert.Equal(("scale", 2, 3, 42UL, "scaler-a"), (record.Kind, record.From, record.To, record.FencingToken, record.Leader));
        Assert.Equal(new Dictionary<string, int> { ["n1"] = 2, ["n2"] = 1 }, record.Placement);
        Assert.Equal("no load balancer", record.MissingMetrics["requestsPerMinute"]);
    }

    [Theory]
    [InlineData(true, true, "NoChange", "NoChange", 0, true)]   // first of term
    [InlineData(true, false, "Scale", "Scale", 0, true)]        // every scale
    [InlineData(true, false, "NoChange", "NoChange", 0, false)] // quiet, same as last
    [InlineData(true, false, "Hold", "NoChange", 0, true)]      // a new situation
    [InlineData(false, false, "NoChange", null, 2, true)]       // re-placement that moved
    [InlineData(false, true, "NoChange", null, 0, false)]       // re-placement that moved nothing
    public void ShouldRecord_Round_RecordsEachNewSituationOnce(bool evaluated, bool first, string kind, string? last, int moved, bool expected) =>
        Assert.Equal(expected, WritePlanner.ShouldRecord(evaluated, first, Enum.Parse<ScalingDecisionKind>(kind), last is null ? null : Enum.Parse<ScalingDecisionKind>(last), moved));

    private static AppSnapshot Snapshot(string? desired, Dictionary<string, string> placement, string? state) => new()
    {
        Desired = desired is null ? null : new KVPair { Key = Keys.Desired, Value = Encoding.UTF8.GetBytes(desired), ModifyIndex = 7 },
        PlacementText = placement,
        ScalerStateText = state,
    };

    private static ScalingDecision Decision(int from, int to) =>
        new(from == to ? ScalingDecisionKind.NoChange : ScalingDecisionKind.Scale, from, to, "test", new Dictionary<string, MetricReading>(), At);

    private static PlacementPlan Placement(string counts) => counts == "none"
        ? new PlacementPlan(false, new Dictionary<string, int>(), 0, "no eligible node")
        : new PlacementPlan(true, counts.Split(',').Select(pair => pair.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1], CultureInfo.InvariantCulture)), 0, "placed");

    private static WritePlanInput Input(AppSnapshot snapshot, ScalingDecision decision, PlacementPlan placement, bool record, long[]? history = null) =>
        new(snapshot, decision, placement, State, Stabilization, history ?? [], record, 42, "scaler-a");

    private static string Describe(TxnOperation operation)
    {
        var kv = operation.KV!;
        var value = kv.Value is null ? "" : "=" + Encoding.UTF8.GetString(kv.Value);
        return $"{kv.Verb} {kv.Key}{value}{(kv.Verb == "cas" ? $" @{kv.Index}" : "")}";
    }
}
