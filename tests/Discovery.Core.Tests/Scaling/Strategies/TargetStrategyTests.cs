using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Strategies;

namespace Discovery.Core.Tests.Scaling.Strategies;

public sealed class TargetStrategyTests
{
    /// <summary>Policy: target 100 rpm per instance, min 1, max 10 unless the row says otherwise.</summary>
    [Theory]
    [InlineData("exactly on target keeps", 3, 300.0, 0.1, 1, 10, 3)]
    [InlineData("10% over with 10% tolerance keeps", 3, 330.0, 0.1, 1, 10, 3)]
    [InlineData("10% under with 10% tolerance keeps", 3, 270.0, 0.1, 1, 10, 3)]
    [InlineData("just past tolerance resizes up", 3, 331.0, 0.1, 1, 10, 4)]
    [InlineData("just past tolerance under, ceil keeps the count", 3, 269.0, 0.1, 1, 10, 3)]
    [InlineData("far under resizes down", 5, 120.0, 0.1, 1, 10, 2)]
    [InlineData("far over jumps several", 2, 750.0, 0.1, 1, 10, 8)]
    [InlineData("zero tolerance resizes on any drift", 3, 301.0, 0.0, 1, 10, 4)]
    [InlineData("wide tolerance keeps", 4, 300.0, 0.3, 1, 10, 4)]
    [InlineData("no traffic goes to min", 4, 0.0, 0.1, 2, 10, 2)]
    [InlineData("capped at max", 4, 5000.0, 0.1, 1, 10, 10)]
    [InlineData("current above max within tolerance still capped", 12, 1200.0, 0.1, 1, 10, 10)]
    [InlineData("no instances sizes from traffic", 0, 250.0, 0.1, 1, 10, 3)]
    [InlineData("no instances and no traffic starts min", 0, 0.0, 0.1, 1, 10, 1)]
    public void Recommend_Rate_ReturnsCount(string scenario, int current, double rpm, double tolerance, int min, int max, int expected)
    {
        var policy = ScalingPolicy.Default with
        {
            Kind = ScalingPolicyKind.Target, TargetRpm = 100, Tolerance = tolerance, Min = min, Max = max,
        };
        var recommendation = TargetStrategy.Instance.Recommend(current, rpm, policy);
        Assert.True(expected == recommendation.Count, $"{scenario}: got {recommendation.Count} ({recommendation.Reason})");
    }

    [Theory]
    [InlineData(3, 300.0, "requestsPerMinute 300 = 100 per instance over 3, within 10% of target 100")]
    [InlineData(2, 750.0, "requestsPerMinute 750 = 375 per instance over 2, target 100: ceil(750 / 100) = 8")]
    [InlineData(2, 5000.0, "requestsPerMinute 5000 = 2500 per instance over 2, target 100: ceil(5000 / 100) = 50; capped at max 10 (wanted 50)")]
    public void Recommend_AnyCase_ReasonSaysWhy(int current, double rpm, string expectedReason)
    {
        var policy = ScalingPolicy.Default with { Kind = ScalingPolicyKind.Target, TargetRpm = 100, Tolerance = 0.1 };
        Assert.Equal(expectedReason, TargetStrategy.Instance.Recommend(current, rpm, policy).Reason);
    }
}
