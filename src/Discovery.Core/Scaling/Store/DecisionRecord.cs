using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Placement;

namespace Discovery.Core.Scaling.Store;

/// <summary>
/// One entry of <c>apps/&lt;app&gt;/history/&lt;seq&gt;</c>: what the leader decided, from what, and
/// under which fencing token (so a reader can tell the terms apart and spot a deposed writer).
/// </summary>
/// <param name="Explanation">What shaped the decision besides its reason, one line each (see ScalingDecision).</param>
/// <param name="Metrics">Metric values by name; null for a missing reading (see <paramref name="MissingMetrics"/>).</param>
internal sealed record DecisionRecord(
    long Sequence,
    DateTimeOffset At,
    string Kind,
    int From,
    int To,
    string Reason,
    IReadOnlyDictionary<string, double?> Metrics,
    IReadOnlyDictionary<string, string> MissingMetrics,
    IReadOnlyDictionary<string, int> Placement,
    ulong FencingToken,
    string Leader,
    IReadOnlyList<string>? Explanation = null)
{
    /// <summary>How a decision kind is spelled in history and metrics ("scale", "nochange", "hold").</summary>
    public static string KindText(ScalingDecisionKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The record of <paramref name="decision"/>: missing metrics get their reason, an unplaceable count an empty placement.</summary>
    public static DecisionRecord ForDecision(long sequence, ScalingDecision decision, PlacementPlan placement, ulong fencingToken, string leader) => new(
        sequence,
        decision.At,
        KindText(decision.Kind),
        decision.PreviousCount,
        decision.NewCount,
        decision.Reason,
        decision.Metrics.ToDictionary(m => m.Key, m => m.Value.Value, StringComparer.Ordinal),
        decision.Metrics.Where(m => m.Value.IsMissing).ToDictionary(m => m.Key, m => m.Value.MissingReason!, StringComparer.Ordinal),
        placement.CanPlace ? placement.Counts : new Dictionary<string, int>(),
        fencingToken,
        leader,
        decision.Explanation);


    /// <summary>A deploy event: kind "deploy", the count unchanged, the event as the reason.</summary>
    public static DecisionRecord ForDeploy(long sequence, ScalingDecision decision, PlacementPlan placement, string text, ulong fencingToken, string leader) => new(
        sequence,
        decision.At,
        "deploy",
        decision.NewCount,
        decision.NewCount,
        text,
        new Dictionary<string, double?>(),
        new Dictionary<string, string>(),
        placement.CanPlace ? placement.Counts : new Dictionary<string, int>(),
        fencingToken,
        leader,
        null);
}
