using Discovery.Core.Deploying;

namespace Discovery.Core.Tests.Deploying;

/// <summary>The deploy's "given state → next step", table by table: one node of 4 unless said otherwise.</summary>
public sealed class DeployPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    private static readonly DeployState Rolling = new()
    {
        Version = "1.1.0",
        Previous = "1.0.0",
        Status = DeployStatus.Rolling,
        MaxParallel = 1,
        MinHealthyMs = 1000,
        HealthDeadlineMs = 10_000,
        StepStartedAt = T0,
    };

    [Fact]
    public void Plan_NoDeployEver_PlainCountsStay()
    {
        var plan = DeployPlanner.Plan(Input(null, Plain(4), []));

        Assert.Null(plan.State);
        Assert.Null(plan.Placement);
        Assert.Empty(plan.Events);
    }

    [Fact]
    public void Plan_DeployRequested_StartsRollingWithOneSurgeOverPlainCounts()
    {
        var plan = DeployPlanner.Plan(Input(null, Plain(4), Instances(("1.0.0", 4, true))) with { Request = (Request("1.1.0"), 42) });

        Assert.Equal(DeployStatus.Rolling, plan.State!.Status);
        Assert.Equal(("1.1.0", "1.0.0", 42UL), (plan.State.Version, plan.State.Previous, plan.State.HandledRequest));
        Assert.Equal(Map(("1.0.0", 4), ("1.1.0", 1)), plan.Placement!["n1"]);
        Assert.Contains("deploy 1.0.0 → 1.1.0 started", plan.Events.Single(), StringComparison.Ordinal);
    }

    [Theory]
    // ready new instances, seconds since healthy (null: not yet), → old 1.0.0 count, new 1.1.0 count, event expected
    [InlineData(0, null, 4, 1, false)]  // surge not ready yet: keep waiting
    [InlineData(1, null, 4, 1, false)]  // ready now: min-healthy timer starts
    [InlineData(1, 0.5, 4, 1, false)]   // ready, but not for min-healthy yet
    [InlineData(1, 1.0, 3, 2, true)]    // ready for min-healthy: one old drained, the next new one started, same write
    public void Plan_RollingStep_AdvancesOnlyWhenNewAreReadyForMinHealthy(int ready, double? healthyFor, int old, int @new, bool advanced)
    {
        var state = Rolling with { HealthySince = healthyFor is { } seconds ? T0.AddSeconds(5 - seconds) : null };
        var plan = DeployPlanner.Plan(Input(state, Versions(("1.0.0", 4), ("1.1.0", 1)), Instances(("1.0.0", 4, true), ("1.1.0", ready, true))) with { Now = T0.AddSeconds(5) });

        Assert.Equal(Map(("1.0.0", old), ("1.1.0", @new)), plan.Placement!["n1"]);
        Assert.Equal(advanced, plan.Events.Count == 1);
    }

    [Fact]
    public void Plan_LastOldReplaced_DoneSucceededAllOnNewVersion()
    {
        var state = Rolling with { HealthySince = T0 };
        var plan = DeployPlanner.Plan(Input(state, Versions(("1.0.0", 1), ("1.1.0", 4)), Instances(("1.0.0", 1, true), ("1.1.0", 4, true))) with { Now = T0.AddSeconds(2) });

        Assert.Equal((DeployStatus.Done, DeployStatus.Succeeded), (plan.State!.Status, plan.State.Outcome));
        Assert.Equal(Map(("1.1.0", 4)), plan.Placement!["n1"]);
        Assert.Equal(["1.1.0: 4 of 4 instance(s) replaced", "deploy of 1.1.0 succeeded"], plan.Events);
    }

    [Fact]
    public void Plan_NewNotReadyByDeadline_RevertsToPreviousWithReason()
    {
        var plan = DeployPlanner.Plan(Input(Rolling, Versions(("1.0.0", 3), ("1.1.0", 2)), Instances(("1.0.0", 3, true), ("1.1.0", 2, false))) with { Now = T0.AddSeconds(11) });

        Assert.Equal(("1.0.0", "1.1.0", true, DeployStatus.Failed), (plan.State!.Version, plan.State.Previous, plan.State.Reverting, plan.State.Outcome));
        Assert.Contains("2 of 2 instance(s) of 1.1.0 not passing and routed within 10s", plan.State.Reason, StringComparison.Ordinal);
        // Reverting: the ready 1.0.0 instances count at once (no min-healthy): one 1.1.0 goes, one 1.0.0 comes.
        Assert.Equal(Map(("1.0.0", 4), ("1.1.0", 1)), plan.Placement!["n1"]);
    }

    [Fact]
    public void Plan_RevertFinished_DoneFailedOnPreviousVersion()
    {
        var reverting = Rolling with { Version = "1.0.0", Previous = "1.1.0", Reverting = true, Outcome = DeployStatus.Failed, Reason = "r" };
        var plan = DeployPlanner.Plan(Input(reverting, Versions(("1.0.0", 4), ("1.1.0", 1)), Instances(("1.0.0", 4, true))));

        Assert.Equal((DeployStatus.Done, DeployStatus.Failed, "1.0.0"), (plan.State!.Status, plan.State.Outcome, plan.State.Version));
        Assert.Equal(Map(("1.0.0", 4)), plan.Placement!["n1"]);
    }

    [Fact]
    public void Plan_ScaledDownDuringDeploy_OldTrimmedToTheCountSurgeKept()
    {
        var plan = DeployPlanner.Plan(Input(Rolling, Versions(("1.0.0", 3), ("1.1.0", 2)), Instances(("1.0.0", 3, true), ("1.1.0", 1, true))) with
        {
            Totals = new Dictionary<string, int> { ["n1"] = 2 },
        });

        // 3 old trimmed to the node's 2, plus the one surge instance: the node agent drops the newest
        // 1.1.0 instance (still starting), the ready one stays and replaces an old one next.
        Assert.Equal(Map(("1.0.0", 2), ("1.1.0", 1)), plan.Placement!["n1"]);
    }

    [Fact]
    public void Plan_ScaledUpDuringDeploy_AddedInstancesRunTheNewVersion()
    {
        var plan = DeployPlanner.Plan(Input(Rolling, Versions(("1.0.0", 3), ("1.1.0", 2)), [])
            with { Totals = new Dictionary<string, int> { ["n1"] = 6 } });

        Assert.Equal(Map(("1.0.0", 3), ("1.1.0", 4)), plan.Placement!["n1"]);
    }

    [Fact]
    public void Plan_TwoNodes_SurgeGoesWhereOldInstancesAre()
    {
        var stored = new Dictionary<string, PlacementVersions> { ["a"] = new(null, Map(("1.1.0", 2))), ["b"] = new(null, Map(("1.0.0", 2))) };
        var plan = DeployPlanner.Plan(new DeployInput(Rolling, null, new Dictionary<string, int> { ["a"] = 2, ["b"] = 2 }, stored, [], T0));

        Assert.Equal(Map(("1.1.0", 2)), plan.Placement!["a"]);
        Assert.Equal(Map(("1.0.0", 2), ("1.1.0", 1)), plan.Placement["b"]);
    }

    [Theory]
    [InlineData(25, 4, 1)]     // 1 canary at weight 4·25, 4 old at 1·75: 100/(100+300) = 25 %
    [InlineData(10, 4, 1)]     // 1 canary: 40 vs 90 → 4:9, share 4/(4+36) = 10 %
    [InlineData(50, 6, 3)]     // 3 canaries, 6 old: 300 vs 150 → 2:1, share 6/(6+6) = 50 %
    [InlineData(1, 200, 2)]    // weights stay within the balancer's 1-1000
    public void Plan_Canary_WeightsGiveTheAskedShare(int percent, int total, int canaries)
    {
        var canary = Rolling with { Status = DeployStatus.Canary, CanaryPercent = percent };
        var plan = DeployPlanner.Plan(Input(canary, Versions(("1.0.0", total)), []) with { Totals = new Dictionary<string, int> { ["n1"] = total } });

        Assert.Equal(Map(("1.0.0", total), ("1.1.0", canaries)), plan.Placement!["n1"]);
        var share = (double)canaries * plan.Weights["1.1.0"] / (canaries * plan.Weights["1.1.0"] + total * plan.Weights["1.0.0"]);
        Assert.Equal(percent / 100.0, share, 3);
        Assert.All(plan.Weights.Values, weight => Assert.InRange(weight, 1, DeployPlanner.MaxWeight));
    }

    [Fact]
    public void Plan_CanaryPromotedWhenReady_CanaryReplacesAnOldOneAndRollsOn()
    {
        var canary = Rolling with { Status = DeployStatus.Canary, CanaryPercent = 25 };
        var plan = DeployPlanner.Plan(Input(canary, Versions(("1.0.0", 4), ("1.1.0", 1)), Instances(("1.0.0", 4, true), ("1.1.0", 1, true)))
            with { Request = (new DeployRequest { Action = DeployRequest.Promote }, 7) });

        Assert.Equal(DeployStatus.Rolling, plan.State!.Status);
        Assert.Equal(Map(("1.0.0", 3), ("1.1.0", 2)), plan.Placement!["n1"]);
        Assert.Empty(plan.Weights);
    }

    [Fact]
    public void Plan_CanaryAborted_CanariesRemovedPreviousKept()
    {
        var canary = Rolling with { Status = DeployStatus.Canary, CanaryPercent = 25 };
        var plan = DeployPlanner.Plan(Input(canary, Versions(("1.0.0", 4), ("1.1.0", 1)), Instances(("1.0.0", 4, true), ("1.1.0", 1, true)))
            with { Request = (new DeployRequest { Action = DeployRequest.Abort }, 8) });

        Assert.Equal((DeployStatus.Done, DeployStatus.Aborted, "1.0.0"), (plan.State!.Status, plan.State.Outcome, plan.State.Version));
        Assert.Equal(Map(("1.0.0", 4)), plan.Placement!["n1"]);
        Assert.Empty(plan.Weights);
    }

    [Fact]
    public void Plan_DeployWhileOneRuns_IgnoredWithReason()
    {
        var plan = DeployPlanner.Plan(Input(Rolling, Versions(("1.0.0", 4), ("1.1.0", 1)), []) with { Request = (Request("2.0.0"), 9) });

        Assert.Equal("1.1.0", plan.State!.Version);
        Assert.Equal(9UL, plan.State.HandledRequest);
        Assert.Contains("ignored", plan.Events.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RollbackAfterSuccess_RollsBackToPrevious()
    {
        var done = Rolling with { Status = DeployStatus.Done, Outcome = DeployStatus.Succeeded };
        var plan = DeployPlanner.Plan(Input(done, Versions(("1.1.0", 4)), Instances(("1.1.0", 4, true))) with { Request = (new DeployRequest { Action = DeployRequest.Rollback }, 10) });

        Assert.Equal(("1.0.0", "1.1.0", DeployStatus.Rolling), (plan.State!.Version, plan.State.Previous, plan.State.Status));
        Assert.Equal(Map(("1.0.0", 1), ("1.1.0", 4)), plan.Placement!["n1"]);
    }

    private static DeployInput Input(DeployState? state, IReadOnlyDictionary<string, PlacementVersions> stored, IReadOnlyList<ObservedInstance> instances) =>
        new(state, null, new Dictionary<string, int> { ["n1"] = 4 }, stored, instances, T0);

    private static DeployRequest Request(string version) => new() { Action = DeployRequest.Deploy, Version = version, MaxParallel = 1, MinHealthyMs = 1000, HealthDeadlineMs = 10_000 };

    private static Dictionary<string, PlacementVersions> Plain(int count) => new() { ["n1"] = new PlacementVersions(count, null) };

    private static Dictionary<string, PlacementVersions> Versions(params (string Version, int Count)[] counts) => new() { ["n1"] = new PlacementVersions(null, Map(counts)) };

    private static Dictionary<string, int> Map(params (string Version, int Count)[] counts) => counts.ToDictionary(pair => pair.Version, pair => pair.Count, StringComparer.Ordinal);

    private static List<ObservedInstance> Instances(params (string Version, int Count, bool Ready)[] groups) =>
        [.. groups.SelectMany(group => Enumerable.Range(0, group.Count).Select(i => new ObservedInstance($"web-{group.Version}-{i}", "n1", group.Version, group.Ready)))];
}
