using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Strategies;

/// <summary>
/// Sizes the fleet so each instance carries about <see cref="ScalingPolicy.TargetRpm"/>:
/// count = ceil(metric ÷ target), unless the current per-instance load is within
/// <see cref="ScalingPolicy.Tolerance"/> of the target (then no change, as HPA does), which keeps
/// small wobbles from resizing the fleet.
/// </summary>
internal sealed class TargetStrategy : IScalingStrategy
{
    // 330 / 3 / 100 − 1 is 0.10000000000000009 in doubles; without this slack a load exactly at
    // the tolerance edge would resize.
    private const double ToleranceRounding = 1e-9;

    public static TargetStrategy Instance { get; } = new();

    public Recommendation Recommend(int currentCount, double metricValue, ScalingPolicy policy)
    {
        var metric = StrategyText.Number(metricValue);
        var target = StrategyText.Number(policy.TargetRpm);
        var wanted = (int)Math.Min(Math.Ceiling(metricValue / policy.TargetRpm), int.MaxValue);
        if (currentCount < 1)
        {
            return StrategyText.Clamped(
                wanted,
                $"{policy.Metric} {metric} with no instances: ceil({metric} / {target}) = {wanted}",
                policy);
        }

        var perInstance = metricValue / currentCount;
        var ratio = perInstance / policy.TargetRpm;
        var observed = $"{policy.Metric} {metric} = {StrategyText.Number(perInstance)} per instance over {currentCount}";
        if (Math.Abs(ratio - 1) <= policy.Tolerance + ToleranceRounding)
        {
            return StrategyText.Clamped(
                currentCount,
                $"{observed}, within {StrategyText.Number(policy.Tolerance * 100)}% of target {target}",
                policy);
        }

        return StrategyText.Clamped(
            wanted,
            $"{observed}, target {target}: ceil({metric} / {target}) = {wanted}",
            policy);
    }
}
