namespace Discovery.Consul.Agent;

/// <summary>The part of an agent's configuration that callers need.</summary>
public sealed record AgentSelfConfig
{
    /// <summary>Datacenter of the agent.</summary>
    public string Datacenter { get; init; } = "";

    /// <summary>Node name of the agent.</summary>
    public string NodeName { get; init; } = "";

    /// <summary>Node ID of the agent.</summary>
    public string NodeID { get; init; } = "";

    /// <summary>True for a server agent.</summary>
    public bool Server { get; init; }

    /// <summary>Consul version, e.g. "1.8.7".</summary>
    public string Version { get; init; } = "";
}
