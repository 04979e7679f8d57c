using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Tests.Scaling.Evaluation;

public sealed class ScalingStateHandoverTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(2);

    // ScalingState is internal, so xunit gets the case names and the cases stay here.
    private static readonly Dictionary<string, (ScalingState? Stored, ScalingState Current, bool Write)> Cases = new()
    {
        ["nothing stored yet"] = (null, State(Step(0, 1)), true),
        ["same recommendation again: only the newest step's time moved"] = (State(Step(-50, 1)), State(Step(0, 1)), false),
        ["stored newest step older than the window: still current for a successor"] = (State(Step(-600, 3)), State(Step(0, 3)), false),
        ["recommendation went down: a new step"] = (State(Step(-50, 3)), State(Step(-50, 3), Step(0, 2)), true),
        ["recommendation went up: the old step is hidden"] = (State(Step(-50, 3)), State(Step(0, 4)), true),
        ["older steps kept, the newest repeated"] = (State(Step(-90, 5), Step(-50, 3)), State(Step(-90, 5), Step(0, 3)), false),
        ["an older step left the window on both sides"] = (State(Step(-200, 5), Step(-50, 3)), State(Step(0, 3)), false),
        ["a scale moved a cooldown"] = (State(Step(-50, 2)), State(Step(0, 2)) with { LastScaleUpAt = Now }, true),
        ["no recommendation this time (hold, pause): the stored step stands"] = (State(Step(-50, 2)), State(Step(-20, 2)), false),
        ["no recommendation for longer than the window: the step is gone"] = (State(Step(-50, 2)), State(), true),
    };

    public static TheoryData<string> MustWriteCases => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(MustWriteCases))]
    public void MustWrite_StoredAndCurrent_WritesOnlyWhatASuccessorWouldDecideBy(string name)
    {
        var (stored, current, write) = Cases[name];
        Assert.Equal(write, ScalingStateHandover.MustWrite(stored, current, Now, Window));
    }

    [Fact]
    public void TakeOver_StoredSteps_NewestDatedAtTakeover()
    {
        var stored = State(Step(-600, 5), Step(-300, 3)) with { LastScaleDownAt = Now.AddSeconds(-400) };

        var taken = ScalingStateHandover.TakeOver(stored, Now);

        Assert.Equal([Step(-600, 5), Step(0, 3)], taken.Recommendations);
        Assert.Equal(Now.AddSeconds(-400), taken.LastScaleDownAt);
    }

    [Fact]
    public void TakeOver_HandEditedSteps_StaircaseInTimeOrderNothingInTheFuture()
    {
        var stored = State(Step(30, 2), Step(-100, 4), Step(-200, 1), Step(-150, 6)) with { LastScaleUpAt = Now.AddHours(5) };

        var taken = ScalingStateHandover.TakeOver(stored, Now);

        // 1 is hidden by the later 6 and 4; the future step becomes "now".
        Assert.Equal([Step(-150, 6), Step(-100, 4), Step(0, 2)], taken.Recommendations);
        Assert.Equal(Now, taken.LastScaleUpAt);
    }

    [Fact]
    public void TakeOver_ThenEvaluate_SuccessorHoldsScaleDownForTheWholeWindow()
    {
        // The old leader recommended 3 at 3 instances for ten minutes and wrote the step once, long ago.
        var stored = State(Step(-600, 3));
        var successor = ScalingStateHandover.TakeOver(stored, Now);
        var policy = ScalingPolicy.Default with { Min = 1, Max = 5, UpperRpm = 100, LowerRpm = 50, ScaleDownCooldown = TimeSpan.Zero, ScaleDownStabilization = Window };
        var quiet = new Dictionary<string, MetricReading> { [policy.Metric] = MetricReading.Of(30) };

        var atTakeover = ScalingEvaluator.Evaluate(new ScalingInput(policy, 3, quiet, Now, null, false), successor);
        var afterWindow = ScalingEvaluator.Evaluate(new ScalingInput(policy, 3, quiet, Now + Window + TimeSpan.FromSeconds(1), null, false), atTakeover.NextState);

        Assert.Equal(ScalingDecisionKind.NoChange, atTakeover.Decision.Kind);
        Assert.Equal(ScalingDecisionKind.Scale, afterWindow.Decision.Kind);
    }

    private static TimedRecommendation Step(int seconds, int count) => new(Now.AddSeconds(seconds), count);

    private static ScalingState State(params TimedRecommendation[] steps) => new() { Recommendations = steps };
}
