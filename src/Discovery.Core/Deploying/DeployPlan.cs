namespace Discovery.Core.Deploying;

/// <summary>What one deploy step decided.</summary>
/// <param name="State">The state to store (unchanged when nothing happened); null when the app never had a deploy.</param>
/// <param name="Placement">Instances per version per node; null when the app never had a deploy (plain counts stay).</param>
/// <param name="Weights">Balancer weight per version while a canary runs; empty otherwise (every peer weight 1).</param>
/// <param name="Events">What happened, for the history (each becomes one entry).</param>
internal sealed record DeployPlan(
    DeployState? State,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? Placement,
    IReadOnlyDictionary<string, int> Weights,
    IReadOnlyList<string> Events);
