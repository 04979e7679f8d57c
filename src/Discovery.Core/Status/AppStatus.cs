namespace Discovery.Core.Status;

/// <summary>
/// One app: what should run (desired), what the scaler assigned (placed = sum of placement keys),
/// what is registered (running), healthy (passing) and in some load balancer's rotation (routed).
/// </summary>
internal sealed record AppStatus(
    string Name,
    int? Desired,
    int Placed,
    IReadOnlyDictionary<string, int> Placement,
    int Running,
    int Passing,
    int Routed,
    HoldStatus? Hold,
    bool Autoscale,
    LeaderStatus? Leader,
    IReadOnlyList<DecisionStatus> Decisions,
    IReadOnlyList<InstanceStatus> Instances)
{
    /// <summary>The app's version and any deploy in progress (<c>apps/&lt;app&gt;/deploy</c>); null when it never had a deploy.</summary>
    public string? Deploy { get; init; }
}
