using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Scaling.Evaluation;

/// <summary>One evaluation's outcome, as written to the decision log and shown by <c>agent status</c>.</summary>
internal sealed record ScalingDecision(
    ScalingDecisionKind Kind,
    int PreviousCount,
    int NewCount,
    string Reason,
    IReadOnlyDictionary<string, MetricReading> Metrics,
    DateTimeOffset At);
