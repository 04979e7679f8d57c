namespace Discovery.Core.Deploying;

/// <summary>Everything one deploy step depends on (all read in the leader's round).</summary>
/// <param name="State">The stored deploy state; null when the app never had a deploy.</param>
/// <param name="Request">A request not handled yet, with its ModifyIndex; null when there is none.</param>
/// <param name="Totals">Instances per node for the scaler's count (the placement planner's answer).</param>
/// <param name="Stored">The placement in KV now, per node (plain counts or version maps).</param>
/// <param name="Instances">Registered instances of the app.</param>
/// <param name="Now">The round's time.</param>
internal sealed record DeployInput(
    DeployState? State,
    (DeployRequest Request, ulong Index)? Request,
    IReadOnlyDictionary<string, int> Totals,
    IReadOnlyDictionary<string, PlacementVersions> Stored,
    IReadOnlyList<ObservedInstance> Instances,
    DateTimeOffset Now);
