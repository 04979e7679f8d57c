namespace Discovery.Core.Scaling.Evaluation;

/// <summary>
/// What the evaluator remembers between evaluations. Stored in Consul (see
/// <see cref="ScalingStateJson"/>) so a new leader continues with the same cooldowns and
/// stabilization window instead of starting fresh and scaling at once.
/// </summary>
internal sealed record ScalingState
{
    public static ScalingState Empty { get; } = new();

    public DateTimeOffset? LastScaleUpAt { get; init; }

    public DateTimeOffset? LastScaleDownAt { get; init; }

    /// <summary>
    /// Recent recommendations, oldest first, with strictly decreasing counts: a recommendation
    /// that is older and not higher than a newer one can never be the window's maximum again, so
    /// it is dropped. That bounds the list by max − min + 1 entries however long the window is.
    /// </summary>
    public IReadOnlyList<TimedRecommendation> Recommendations { get; init; } = [];
}
