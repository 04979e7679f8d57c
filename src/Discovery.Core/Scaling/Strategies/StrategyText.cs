using System.Globalization;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Strategies;

/// <summary>Shared wording for strategy reasons, so every strategy reads the same in <c>agent status</c>.</summary>
internal static class StrategyText
{
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>Clamps to min..max and says so in the reason when it changed the count.</summary>
    public static Recommendation Clamped(int wanted, string reason, ScalingPolicy policy)
    {
        if (wanted > policy.Max)
        {
            return new Recommendation(policy.Max, $"{reason}; capped at max {policy.Max} (wanted {wanted})");
        }

        if (wanted < policy.Min)
        {
            return new Recommendation(policy.Min, $"{reason}; kept at min {policy.Min} (wanted {wanted})");
        }

        return new Recommendation(wanted, reason);
    }
}
