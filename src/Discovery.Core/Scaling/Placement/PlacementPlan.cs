namespace Discovery.Core.Scaling.Placement;

/// <summary>
/// Instances per node. When <see cref="CanPlace"/> is false (no eligible node for a positive
/// count) <see cref="Counts"/> is empty and the caller keeps the current placement.
/// </summary>
internal sealed record PlacementPlan(
    bool CanPlace,
    IReadOnlyDictionary<string, int> Counts,
    int Moved,
    string Reason);
