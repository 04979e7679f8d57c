using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Scaling.Evaluation;

/// <summary>One evaluation's outcome, as written to the decision log and shown by <c>agent status</c>.</summary>
/// <param name="Explanation">Everything that shaped it besides <paramref name="Reason"/> (the reading's window and samples, the policy's bounds and clamps, hold, pause), one line each; <c>agent status --why</c> prints it.</param>
internal sealed record ScalingDecision(
    ScalingDecisionKind Kind,
    int PreviousCount,
    int NewCount,
    string Reason,
    IReadOnlyDictionary<string, MetricReading> Metrics,
    DateTimeOffset At,
    IReadOnlyList<string>? Explanation = null);
