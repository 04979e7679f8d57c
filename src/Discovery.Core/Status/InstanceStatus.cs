namespace Discovery.Core.Status;

/// <summary>
/// One registered instance. Age comes from the service meta "started" (ISO-8601, written by the node
/// agent when it starts the process) because Consul keeps no registration time; null when absent.
/// </summary>
internal sealed record InstanceStatus(
    string Id,
    string Node,
    string Address,
    int Port,
    string Health,
    string? Version,
    TimeSpan? Age,
    bool Routed);
