namespace Discovery.Consul.Agent;

/// <summary>A service instance as an agent or the health endpoint reports it.</summary>
public sealed record AgentService
{
    /// <summary>Instance ID.</summary>
    public string ID { get; init; } = "";

    /// <summary>Service name.</summary>
    public string Service { get; init; } = "";

    /// <summary>Tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Metadata.</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; init; }

    /// <summary>Port.</summary>
    public int Port { get; init; }

    /// <summary>Service address; empty means "use the node's address".</summary>
    public string Address { get; init; } = "";

    /// <summary>Whether anti-entropy may overwrite the tags with the catalog's.</summary>
    public bool EnableTagOverride { get; init; }

    /// <summary>Raft index at which the instance was created.</summary>
    public ulong CreateIndex { get; init; }

    /// <summary>Raft index of the last change.</summary>
    public ulong ModifyIndex { get; init; }
}
