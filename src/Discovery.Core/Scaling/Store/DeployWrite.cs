using Discovery.Consul.Txn;

namespace Discovery.Core.Scaling.Store;

/// <summary>What the deploy adds to a leader round's transaction.</summary>
/// <param name="PlacementTexts">Placement values (version maps) per node, replacing the plain counts; null keeps the plain counts.</param>
/// <param name="HoldPlacement">True when no placement may be written this round (the deploy state is unreadable).</param>
/// <param name="Operations">Deploy state, weights and the consumed request.</param>
/// <param name="Events">One history entry each.</param>
/// <param name="Active">A deploy is in progress: the leader looks again soon.</param>
internal sealed record DeployWrite(
    IReadOnlyDictionary<string, string>? PlacementTexts,
    bool HoldPlacement,
    IReadOnlyList<TxnOperation> Operations,
    IReadOnlyList<string> Events,
    bool Active)
{
    public static readonly DeployWrite None = new(null, false, [], [], false);
}
