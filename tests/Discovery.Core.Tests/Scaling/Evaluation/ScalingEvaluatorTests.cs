using System.Globalization;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Tests.Scaling.Evaluation;

public sealed class ScalingEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly ScalingPolicy Step = ScalingPolicy.Default with
    {
        UpperRpm = 100,
        LowerRpm = 50,
        Min = 1,
        Max = 10,
        ScaleUpCooldown = TimeSpan.FromSeconds(30),
        ScaleDownCooldown = TimeSpan.FromSeconds(60),
        ScaleDownStabilization = TimeSpan.FromSeconds(120),
    };

    private static readonly ScalingPolicy Target = Step with { Kind = ScalingPolicyKind.Target, TargetRpm = 100, Tolerance = 0.1 };

    /// <summary>
    /// Runs a sequence of evaluations "seconds:rpm" ("-" = missing data), feeding each decision's
    /// count and state into the next, and checks the count after every step.
    /// </summary>
    [Theory]
    [InlineData("scale-up cooldown blocks the second step up until it ends", "step", 1, "0:150 10:300 29:300 30:300", "2 2 2 3")]
    [InlineData("missing data holds and records nothing", "step", 3, "0:- 10:- 20:0", "3 3 2")]
    [InlineData("stabilization keeps the highest recommendation until it expires", "step", 4, "0:300 10:100 20:100 120:100 121:100", "4 4 4 4 3")]
    [InlineData("a blocked scale-up still blocks a scale-down through the window", "step", 1, "0:150 10:300 20:0", "2 2 2")]
    [InlineData("scale-down waits for its cooldown after a scale-up", "step-nostab", 1, "0:150 30:0 59:0 60:0", "2 2 2 1")]
    [InlineData("scale-down waits for its cooldown after a scale-down", "step-nostab", 5, "0:0 30:0 59:0 60:0", "4 4 4 3")]
    [InlineData("scale-up is not delayed by a recent scale-down", "step-nostab", 5, "0:0 5:1000", "4 5")]
    [InlineData("inside the gap nothing changes", "step", 3, "0:200 10:290 20:160", "3 3 3")]
    [InlineData("target jumps straight to the needed count", "target", 2, "0:750", "8")]
    [InlineData("target scales down to the highest recommendation in the window, not the latest", "target", 8, "0:500 50:300 130:200", "5 5 3")]
    [InlineData("target within tolerance keeps", "target", 4, "0:380 10:420", "4 4")]
    [InlineData("max caps a burst", "step", 10, "0:5000 60:5000", "10 10")]
    [InlineData("min floors a lull", "step-nostab", 1, "0:0 100:0", "1 1")]
    public void Evaluate_Sequence_CountsFollowRules(string scenario, string policyName, int start, string steps, string expectedCounts)
    {
        var policy = policyName switch
        {
            "step" => Step,
            "step-nostab" => Step with { ScaleDownStabilization = TimeSpan.Zero },
            _ => Target,
        };
        var state = ScalingState.Empty;
        var current = start;
        var counts = new List<int>();
        foreach (var step in steps.Split(' '))
        {
            var parts = step.Split(':');
            var now = T0.AddSeconds(int.Parse(parts[0], CultureInfo.InvariantCulture));
            var reading = parts[1] == "-"
                ? MetricReading.Missing("lb1: connection refused")
                : MetricReading.Of(double.Parse(parts[1], CultureInfo.InvariantCulture));
            var evaluation = ScalingEvaluator.Evaluate(new ScalingInput(policy, current, Rpm(reading), now), state);
            current = evaluation.Decision.NewCount;
            state = evaluation.NextState;
            counts.Add(current);
        }

        Assert.True(expectedCounts == string.Join(" ", counts), $"{scenario}: got {string.Join(" ", counts)}");
    }

    /// <summary>One evaluation: kind, new count and a phrase of the reason.</summary>
    [Theory]
    [InlineData("missing reading holds", 3, "-", null, null, false, "Hold", 3, "requestsPerMinute missing (lb1: connection refused); holding at 3")]
    [InlineData("absent reading holds", 3, "absent", null, null, false, "Hold", 3, "requestsPerMinute missing (no reading); holding at 3")]
    [InlineData("missing reading never scales to min", 8, "-", null, null, false, "Hold", 8, "holding at 8")]
    [InlineData("above max corrected without data", 12, "-", null, null, false, "Scale", 10, "count 12 is above max 10: corrected to 10 (bounds apply even during cooldown)")]
    [InlineData("above max corrected during cooldown", 12, "0", -1, -1, false, "Scale", 10, "above max 10")]
    [InlineData("below min corrected during cooldown", 0, "500", -1, -1, false, "Scale", 1, "count 0 is below min 1: corrected to 1")]
    [InlineData("paused changes nothing", 3, "5000", null, null, true, "NoChange", 3, "autoscaling paused; keeping 3")]
    [InlineData("paused wins over bounds", 12, "5000", null, null, true, "NoChange", 12, "autoscaling paused")]
    [InlineData("up blocked by cooldown says until when", 2, "300", -10, null, false, "NoChange", 2, "waiting: scale-up cooldown until 2025-01-01 12:00:20Z")]
    [InlineData("down blocked by cooldown says until when", 4, "0", null, -10, false, "NoChange", 4, "waiting: scale-down cooldown until 2025-01-01 12:00:50Z")]
    [InlineData("down blocked by cooldown after an up", 4, "0", -10, null, false, "NoChange", 4, "waiting: scale-down cooldown until 2025-01-01 12:00:50Z")]
    [InlineData("up allowed when cooldown ended", 2, "300", -30, null, false, "Scale", 3, "above upper 100: add 1")]
    [InlineData("no-op is no change", 2, "150", null, null, false, "NoChange", 2, "within 50..100")]
    public void Evaluate_SingleInput_Decides(
        string scenario, int current, string rpm, int? lastUpSeconds, int? lastDownSeconds, bool paused,
        string expectedKind, int expectedCount, string expectedReason)
    {
        var readings = rpm switch
        {
            "-" => Rpm(MetricReading.Missing("lb1: connection refused")),
            "absent" => new Dictionary<string, MetricReading>(),
            _ => Rpm(MetricReading.Of(double.Parse(rpm, CultureInfo.InvariantCulture))),
        };
        var state = new ScalingState
        {
            LastScaleUpAt = lastUpSeconds is { } up ? T0.AddSeconds(up) : null,
            LastScaleDownAt = lastDownSeconds is { } down ? T0.AddSeconds(down) : null,
        };

        var decision = ScalingEvaluator.Evaluate(new ScalingInput(Step, current, readings, T0, Paused: paused), state).Decision;

        Assert.True(Enum.Parse<ScalingDecisionKind>(expectedKind) == decision.Kind, $"{scenario}: {decision.Kind} ({decision.Reason})");
        Assert.Equal(expectedCount, decision.NewCount);
        Assert.Equal(current, decision.PreviousCount);
        Assert.Contains(expectedReason, decision.Reason, StringComparison.Ordinal);
        Assert.Same(readings, decision.Metrics);
        Assert.Equal(T0, decision.At);
    }

    [Theory]
    [InlineData("held count already set: hold even though traffic says scale up", 3, 3, 60, "Hold", 3)]
    [InlineData("desired drifted from the hold: restore it", 5, 3, 60, "Scale", 3)]
    [InlineData("forced hold above max is kept", 15, 15, 60, "Hold", 15)]
    [InlineData("expired hold: autoscaling resumes", 3, 3, 0, "Scale", 4)]
    public void Evaluate_ManualHold_KeepsHeldCountUntilItExpires(
        string scenario, int current, int heldCount, int holdSecondsLeft, string expectedKind, int expectedCount)
    {
        var hold = new ManualHold(heldCount, T0.AddSeconds(holdSecondsLeft), "load test");
        var input = new ScalingInput(Step, current, Rpm(MetricReading.Of(current * 500.0)), T0, hold);

        var decision = ScalingEvaluator.Evaluate(input, ScalingState.Empty).Decision;

        Assert.True(Enum.Parse<ScalingDecisionKind>(expectedKind) == decision.Kind, $"{scenario}: {decision.Kind} ({decision.Reason})");
        Assert.Equal(expectedCount, decision.NewCount);
        if (holdSecondsLeft > 0)
        {
            Assert.Contains($"manual hold at {heldCount} until 2025-01-01 12:01:00Z (load test)", decision.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Evaluate_ScaleDownToStabilizedCount_SaysItWasStabilized()
    {
        var state = new ScalingState { Recommendations = [new TimedRecommendation(T0.AddSeconds(-50), 3)] };
        var input = new ScalingInput(Target, 5, Rpm(MetricReading.Of(100)), T0);

        var decision = ScalingEvaluator.Evaluate(input, state).Decision;

        Assert.Equal(3, decision.NewCount);
        Assert.EndsWith("stabilized at 3, the highest recommendation in the last 2m0s", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_ManyEvaluations_StoredRecommendationsStayBounded()
    {
        var state = ScalingState.Empty;
        var policy = Target with { ScaleDownStabilization = TimeSpan.FromHours(1), Max = 10 };
        for (var i = 0; i < 1000; i++)
        {
            var rpm = (i * 37 % 1000) + 1;
            state = ScalingEvaluator.Evaluate(new ScalingInput(policy, 10, Rpm(MetricReading.Of(rpm)), T0.AddSeconds(i)), state).NextState;
        }

        Assert.InRange(state.Recommendations.Count, 1, policy.Max - policy.Min + 1);
    }

    [Fact]
    public void Evaluate_InvalidPolicy_Throws()
    {
        var input = new ScalingInput(Step with { Min = 0 }, 1, Rpm(MetricReading.Of(0)), T0);
        Assert.Throws<ArgumentException>(() => ScalingEvaluator.Evaluate(input, ScalingState.Empty));
    }

    /// <summary>A new leader that reads the stored state decides exactly as the old one would have.</summary>
    [Fact]
    public void Evaluate_StateRoundTrippedThroughJson_ContinuesCooldownsAndWindow()
    {
        var state = ScalingState.Empty;
        var current = 1;
        foreach (var (seconds, rpm) in new[] { (0, 150.0), (10, 300.0) })
        {
            var evaluation = ScalingEvaluator.Evaluate(new ScalingInput(Step, current, Rpm(MetricReading.Of(rpm)), T0.AddSeconds(seconds)), state);
            current = evaluation.Decision.NewCount;
            state = evaluation.NextState;
        }

        Assert.True(ScalingStateJson.TryRead(ScalingStateJson.Write(state), out var restored, out var error), error);

        Assert.Equal(state.LastScaleUpAt, restored.LastScaleUpAt);
        Assert.Equal(state.LastScaleDownAt, restored.LastScaleDownAt);
        Assert.Equal(state.Recommendations, restored.Recommendations);
        foreach (var (seconds, rpm) in new[] { (20, 300.0), (30, 300.0), (40, 0.0) })
        {
            var input = new ScalingInput(Step, current, Rpm(MetricReading.Of(rpm)), T0.AddSeconds(seconds));
            var original = ScalingEvaluator.Evaluate(input, state);
            var continued = ScalingEvaluator.Evaluate(input, restored);
            Assert.Equal(original.Decision.NewCount, continued.Decision.NewCount);
            Assert.Equal(original.Decision.Reason, continued.Decision.Reason);
            current = original.Decision.NewCount;
            state = original.NextState;
            restored = continued.NextState;
        }

        Assert.Equal(3, current);
    }

    private static Dictionary<string, MetricReading> Rpm(MetricReading reading) =>
        new() { [MetricNames.RequestsPerMinute] = reading };
}
