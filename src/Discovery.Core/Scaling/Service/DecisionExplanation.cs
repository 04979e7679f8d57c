using System.Globalization;
using Discovery.Consul.Durations;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Strategies;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// The lines that explain a decision beyond its reason (issue 15, "decisions explained"): each
/// reading with its rate window and samples, the policy in force with every clamp it can apply
/// (tolerance, min/max, cooldowns and where they stand, the stabilization window's recommendations),
/// the manual hold and the pause switch. Written into the history entry and printed by
/// <c>agent status --why</c>.
/// </summary>
internal static class DecisionExplanation
{
    public static IReadOnlyList<string> Lines(OperatorView view, IReadOnlyDictionary<string, MetricReading> readings, ScalingState state, DateTimeOffset now)
    {
        var policy = view.Policy;
        var lines = new List<string>();
        foreach (var (metric, reading) in readings.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            lines.Add(reading.Value is { } value
                ? $"reading {metric} = {StrategyText.Number(value)} (newest sample {Seconds(reading.Age)} old): {reading.Detail ?? "no detail"}"
                : $"reading {metric} missing: {reading.MissingReason}");
        }

        lines.Add(policy.Kind == ScalingPolicyKind.Target
            ? $"policy target {StrategyText.Number(policy.TargetRpm)} per instance, tolerance {StrategyText.Number(policy.Tolerance * 100)} %"
            : $"policy step: up above {StrategyText.Number(policy.UpperRpm)}, down below {StrategyText.Number(policy.LowerRpm)} per instance, step {policy.StepSize}");
        lines.Add($"bounds min {policy.Min}, max {policy.Max}; current {view.CurrentCount}");
        lines.Add($"cooldown up {GoDuration.Format(policy.ScaleUpCooldown)} ({Since("last scale-up", state.LastScaleUpAt, now)}), " +
                  $"down {GoDuration.Format(policy.ScaleDownCooldown)} ({Since("last scale", Latest(state.LastScaleUpAt, state.LastScaleDownAt), now)})");
        lines.Add($"stabilization {GoDuration.Format(policy.ScaleDownStabilization)}: recommendations " +
                  (state.Recommendations.Count == 0 ? "none yet" : string.Join(", ", state.Recommendations.Select(r => $"{r.Count} at {r.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}"))));
        lines.Add(view.Hold is { } hold
            ? $"hold {hold.Count} until {hold.Until.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}{(now < hold.Until ? "" : " (expired)")}{(hold.Reason is null ? "" : $" ({hold.Reason})")}"
            : "hold none");
        lines.Add(view.Paused ? "autoscale paused" : "autoscale on");
        return lines;
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static string Since(string what, DateTimeOffset? at, DateTimeOffset now) =>
        at is { } when ? $"{what} {Seconds(now - when)} ago" : $"no {what} yet";

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
