using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Strategies;

/// <summary>
/// A pure function from (current count, metric value, policy) to a recommended count, already
/// within the policy's min..max. Cooldowns, stabilization and missing data belong to the evaluator.
/// </summary>
internal interface IScalingStrategy
{
    Recommendation Recommend(int currentCount, double metricValue, ScalingPolicy policy);
}
