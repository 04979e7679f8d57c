using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Strategies;

namespace Discovery.Core.Tests.Scaling.Strategies;

public sealed class StepStrategyTests
{
    /// <summary>Policy: upper 100, lower 50 rpm per instance, min 1, max 10 unless the row says otherwise.</summary>
    [Theory]
    [InlineData("above upper adds one", 1, 150.0, 1, 1, 10, 2)]
    [InlineData("just above upper adds one", 2, 200.2, 1, 1, 10, 3)]
    [InlineData("exactly upper keeps", 2, 200.0, 1, 1, 10, 2)]
    [InlineData("inside the gap keeps", 3, 225.0, 1, 1, 10, 3)]
    [InlineData("exactly lower keeps", 4, 200.0, 1, 1, 10, 4)]
    [InlineData("below lower removes one", 4, 199.0, 1, 1, 10, 3)]
    [InlineData("no traffic removes one", 5, 0.0, 1, 1, 10, 4)]
    [InlineData("per instance, not total: 10 instances at 90 each keep", 10, 900.0, 1, 1, 20, 10)]
    [InlineData("per instance, not total: 5 instances at 101 each grow", 5, 505.0, 1, 1, 20, 6)]
    [InlineData("step size 3 up", 2, 400.0, 3, 1, 10, 5)]
    [InlineData("step size 3 down", 6, 60.0, 3, 1, 10, 3)]
    [InlineData("capped at max", 10, 5000.0, 1, 1, 10, 10)]
    [InlineData("step past max capped", 8, 5000.0, 3, 1, 10, 10)]
    [InlineData("kept at min", 1, 0.0, 1, 1, 10, 1)]
    [InlineData("step past min kept at min", 3, 0.0, 3, 2, 10, 2)]
    [InlineData("current above max is brought to max", 12, 1200.0, 1, 1, 10, 10)]
    [InlineData("current below min is brought to min", 1, 75.0, 1, 3, 10, 3)]
    [InlineData("no instances starts min", 0, 500.0, 1, 2, 10, 2)]
    public void Recommend_PerInstanceRate_ReturnsCount(
        string scenario, int current, double rpm, int stepSize, int min, int max, int expected)
    {
        var policy = ScalingPolicy.Default with { UpperRpm = 100, LowerRpm = 50, StepSize = stepSize, Min = min, Max = max };
        var recommendation = StepStrategy.Instance.Recommend(current, rpm, policy);
        Assert.True(expected == recommendation.Count, $"{scenario}: got {recommendation.Count} ({recommendation.Reason})");
    }

    [Theory]
    [InlineData(1, 150.0, "requestsPerMinute 150 = 150 per instance over 1, above upper 100: add 1")]
    [InlineData(3, 90.0, "requestsPerMinute 90 = 30 per instance over 3, below lower 50: remove 1")]
    [InlineData(2, 150.0, "requestsPerMinute 150 = 75 per instance over 2, within 50..100")]
    [InlineData(10, 2000.0, "requestsPerMinute 2000 = 200 per instance over 10, above upper 100: add 1; capped at max 10 (wanted 11)")]
    [InlineData(1, 10.0, "requestsPerMinute 10 = 10 per instance over 1, below lower 50: remove 1; kept at min 1 (wanted 0)")]
    public void Recommend_AnyCase_ReasonSaysWhy(int current, double rpm, string expectedReason)
    {
        var recommendation = StepStrategy.Instance.Recommend(current, rpm, ScalingPolicy.Default);
        Assert.Equal(expectedReason, recommendation.Reason);
    }

    /// <summary>
    /// With the default gap (lower = upper / 2) a step up from any count never lands below lower,
    /// so the very next evaluation at the same traffic does not step back down.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(9)]
    public void Recommend_AfterStepUpAtSameTraffic_DoesNotFlapBack(int current)
    {
        var policy = ScalingPolicy.Default with { Max = 100 };
        var rpm = (policy.UpperRpm * current) + 1;
        var up = StepStrategy.Instance.Recommend(current, rpm, policy);
        var next = StepStrategy.Instance.Recommend(up.Count, rpm, policy);
        Assert.Equal(current + 1, up.Count);
        Assert.Equal(up.Count, next.Count);
    }
}
