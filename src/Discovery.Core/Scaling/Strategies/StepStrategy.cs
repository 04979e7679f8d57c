using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Strategies;

/// <summary>
/// The seeds' rule, per instance: above <see cref="ScalingPolicy.UpperRpm"/> per instance add
/// <see cref="ScalingPolicy.StepSize"/>, below <see cref="ScalingPolicy.LowerRpm"/> remove it,
/// in between (inclusive) keep the count. The gap between the thresholds is what stops flapping.
/// </summary>
internal sealed class StepStrategy : IScalingStrategy
{
    public static StepStrategy Instance { get; } = new();

    public Recommendation Recommend(int currentCount, double metricValue, ScalingPolicy policy)
    {
        var metric = StrategyText.Number(metricValue);
        if (currentCount < 1)
        {
            // Nothing is running, so there is no per-instance rate; start the minimum.
            return StrategyText.Clamped(policy.Min, $"{policy.Metric} {metric} with no instances: start min", policy);
        }

        var perInstance = metricValue / currentCount;
        var observed = $"{policy.Metric} {metric} = {StrategyText.Number(perInstance)} per instance over {currentCount}";
        if (perInstance > policy.UpperRpm)
        {
            var wanted = currentCount + policy.StepSize;
            return StrategyText.Clamped(
                wanted,
                $"{observed}, above upper {StrategyText.Number(policy.UpperRpm)}: add {policy.StepSize}",
                policy);
        }

        if (perInstance < policy.LowerRpm)
        {
            var wanted = currentCount - policy.StepSize;
            return StrategyText.Clamped(
                wanted,
                $"{observed}, below lower {StrategyText.Number(policy.LowerRpm)}: remove {policy.StepSize}",
                policy);
        }

        return StrategyText.Clamped(
            currentCount,
            $"{observed}, within {StrategyText.Number(policy.LowerRpm)}..{StrategyText.Number(policy.UpperRpm)}",
            policy);
    }
}
