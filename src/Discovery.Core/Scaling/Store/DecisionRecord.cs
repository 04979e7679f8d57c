namespace Discovery.Core.Scaling.Store;

/// <summary>
/// One entry of <c>apps/&lt;app&gt;/history/&lt;seq&gt;</c>: what the leader decided, from what, and
/// under which fencing token (so a reader can tell the terms apart and spot a deposed writer).
/// </summary>
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
    string Leader);
