using System.Globalization;
using Discovery.Consul.Durations;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Strategies;

namespace Discovery.Core.Scaling.Evaluation;

/// <summary>
/// One evaluation of one app's policy, as a pure function of input and stored state. Rules, in
/// order (first match decides), after HPA and nomad-autoscaler:
/// <list type="number">
/// <item>An active manual hold keeps the held count (even outside min..max: the operator forced it).
/// If the count differs it is set back, which starts the matching cooldown like any scale.</item>
/// <item>Paused autoscaling changes nothing.</item>
/// <item>A count outside min..max is corrected to the nearest bound at once, even during a cooldown
/// or without metric data: bounds are limits, not advice.</item>
/// <item>Missing metric data holds: an outage must not read as "no traffic" and scale to min.</item>
/// <item>Scale-up waits out <see cref="ScalingPolicy.ScaleUpCooldown"/> since the last scale-up only;
/// a recent scale-down does not delay it, because too little capacity hurts more than too much.</item>
/// <item>Scale-down goes only to the highest recommendation within
/// <see cref="ScalingPolicy.ScaleDownStabilization"/>, and waits out
/// <see cref="ScalingPolicy.ScaleDownCooldown"/> since the last scale in <b>either</b> direction, so a
/// scale-up is never reversed before its instances have settled, even with no stabilization window.</item>
/// <item>Otherwise nothing changes.</item>
/// </list>
/// </summary>
internal static class ScalingEvaluator
{
    public static ScalingEvaluation Evaluate(ScalingInput input, ScalingState state)
    {
        var policy = input.Policy;
        var policyErrors = policy.Validate();
        if (policyErrors.Count > 0)
        {
            throw new ArgumentException("Invalid policy: " + string.Join("; ", policyErrors), nameof(input));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(input.CurrentCount);
        var now = input.Now;
        var current = input.CurrentCount;
        var window = Prune(state.Recommendations, now - policy.ScaleDownStabilization);
        state = state with { Recommendations = window };

        if (input.Hold is { } hold && now < hold.Until)
        {
            var held = $"manual hold at {hold.Count} until {Time(hold.Until)}" +
                       (string.IsNullOrWhiteSpace(hold.Reason) ? string.Empty : $" ({hold.Reason})");
            return hold.Count == current
                ? Decide(input, state, ScalingDecisionKind.Hold, current, held)
                : Scale(input, state, hold.Count, $"{held}: set {current} → {hold.Count}");
        }

        if (input.Paused)
        {
            return Decide(input, state, ScalingDecisionKind.NoChange, current, $"autoscaling paused; keeping {current}");
        }

        if (current > policy.Max)
        {
            return Scale(input, state, policy.Max, $"count {current} is above max {policy.Max}: corrected to {policy.Max} (bounds apply even during cooldown)");
        }

        if (current < policy.Min)
        {
            return Scale(input, state, policy.Min, $"count {current} is below min {policy.Min}: corrected to {policy.Min} (bounds apply even during cooldown)");
        }

        if (!input.Readings.TryGetValue(policy.Metric, out var reading) || reading.Value is not { } value)
        {
            var why = reading is null ? "no reading" : reading.MissingReason;
            return Decide(input, state, ScalingDecisionKind.Hold, current, $"{policy.Metric} missing ({why}); holding at {current}");
        }

        var recommendation = StrategyFor(policy.Kind).Recommend(current, value, policy);
        state = state with { Recommendations = Append(window, new TimedRecommendation(now, recommendation.Count)) };

        if (recommendation.Count > current)
        {
            if (Until(state.LastScaleUpAt, policy.ScaleUpCooldown, now) is { } upBlockedUntil)
            {
                return Decide(input, state, ScalingDecisionKind.NoChange, current,
                    $"{recommendation.Reason}; waiting: scale-up cooldown until {Time(upBlockedUntil)}");
            }

            return Scale(input, state, recommendation.Count, recommendation.Reason);
        }

        if (recommendation.Count < current)
        {
            var highest = state.Recommendations.Max(r => r.Count);
            var stabilization = GoDuration.Format(policy.ScaleDownStabilization);
            if (highest >= current)
            {
                return Decide(input, state, ScalingDecisionKind.NoChange, current,
                    $"{recommendation.Reason}; waiting: highest recommendation in the last {stabilization} is {highest}");
            }

            var lastScale = Latest(state.LastScaleUpAt, state.LastScaleDownAt);
            if (Until(lastScale, policy.ScaleDownCooldown, now) is { } downBlockedUntil)
            {
                return Decide(input, state, ScalingDecisionKind.NoChange, current,
                    $"{recommendation.Reason}; waiting: scale-down cooldown until {Time(downBlockedUntil)}");
            }

            var reason = highest == recommendation.Count
                ? recommendation.Reason
                : $"{recommendation.Reason}; stabilized at {highest}, the highest recommendation in the last {stabilization}";
            return Scale(input, state, highest, reason);
        }

        return Decide(input, state, ScalingDecisionKind.NoChange, current, recommendation.Reason);
    }

    public static IScalingStrategy StrategyFor(ScalingPolicyKind kind) => kind switch
    {
        ScalingPolicyKind.Step => StepStrategy.Instance,
        ScalingPolicyKind.Target => TargetStrategy.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown policy kind."),
    };

    private static ScalingEvaluation Scale(ScalingInput input, ScalingState state, int newCount, string reason)
    {
        var next = newCount > input.CurrentCount
            ? state with { LastScaleUpAt = input.Now }
            : state with { LastScaleDownAt = input.Now };
        return Decide(input, next, ScalingDecisionKind.Scale, newCount, reason);
    }

    private static ScalingEvaluation Decide(ScalingInput input, ScalingState state, ScalingDecisionKind kind, int newCount, string reason) =>
        new(new ScalingDecision(kind, input.CurrentCount, newCount, reason, input.Readings, input.Now), state);

    private static IReadOnlyList<TimedRecommendation> Prune(IReadOnlyList<TimedRecommendation> recommendations, DateTimeOffset windowStart) =>
        recommendations.Where(r => r.At >= windowStart).OrderBy(r => r.At).ToList();

    // Keeps the list a decreasing staircase: entries that are not higher than the newest one can
    // never be the maximum of any later window, so they only cost space in the stored state.
    private static IReadOnlyList<TimedRecommendation> Append(IReadOnlyList<TimedRecommendation> window, TimedRecommendation newest)
    {
        var kept = window.Where(r => r.Count > newest.Count).ToList();
        kept.Add(newest);
        return kept;
    }

    /// <summary>When the cooldown started at <paramref name="since"/> ends, or null if it already has.</summary>
    private static DateTimeOffset? Until(DateTimeOffset? since, TimeSpan cooldown, DateTimeOffset now) =>
        since is { } start && now < start + cooldown ? start + cooldown : null;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a > b ? a : b);

    private static string Time(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
