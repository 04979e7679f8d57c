using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Placement;

namespace Discovery.Core.Scaling.Store;

/// <summary>Everything a leader round's write depends on: what KV holds, what was decided and placed, and who decided.</summary>
/// <param name="Snapshot">The app's keys as read at the start of the round.</param>
/// <param name="Decision">The decision (for a re-placement only: the current count, unchanged).</param>
/// <param name="Placement">Where the count goes; nothing is placed when it cannot be.</param>
/// <param name="NextState">Cooldowns and recommendations to store for the next leader.</param>
/// <param name="Stabilization">The policy's scale-down stabilization window (which stored steps still count).</param>
/// <param name="History">Stored history sequences, ascending.</param>
/// <param name="RecordDecision">Whether this round gets a history entry.</param>
/// <param name="FencingToken">The term's fencing token, recorded with the decision.</param>
/// <param name="Leader">Who leads, recorded with the decision.</param>
/// <param name="Deploy">The deploy's part of the round (version maps, its keys, its history entries).</param>
internal sealed record WritePlanInput(
    AppSnapshot Snapshot,
    ScalingDecision Decision,
    PlacementPlan Placement,
    ScalingState NextState,
    TimeSpan Stabilization,
    IReadOnlyList<long> History,
    bool RecordDecision,
    ulong FencingToken,
    string Leader,
    DeployWrite? Deploy = null);
