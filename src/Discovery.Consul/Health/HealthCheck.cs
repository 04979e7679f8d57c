namespace Discovery.Consul.Health;

/// <summary>A check's current state, as the agent and the health endpoints report it.</summary>
public sealed record HealthCheck
{
    /// <summary>Node the check runs on.</summary>
    public string Node { get; init; } = "";

    /// <summary>Check ID.</summary>
    public string CheckID { get; init; } = "";

    /// <summary>Check name.</summary>
    public string Name { get; init; } = "";

    /// <summary>passing, warning or critical.</summary>
    public string Status { get; init; } = "";

    /// <summary>Notes given at registration.</summary>
    public string Notes { get; init; } = "";

    /// <summary>Output of the last run (or the text given with a TTL update).</summary>
    public string Output { get; init; } = "";

    /// <summary>Service instance the check belongs to; empty for node checks.</summary>
    public string ServiceID { get; init; } = "";

    /// <summary>Service name the check belongs to.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>Check type: http, tcp, ttl, serf …</summary>
    public string Type { get; init; } = "";

    /// <summary>Raft index of the last change.</summary>
    public ulong ModifyIndex { get; init; }
}
