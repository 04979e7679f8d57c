namespace Discovery.Consul.Agent;

/// <summary>A gossip pool member (GET /v1/agent/members).</summary>
public sealed record AgentMember
{
    /// <summary>Node name.</summary>
    public string Name { get; init; } = "";

    /// <summary>Gossip address.</summary>
    public string Addr { get; init; } = "";

    /// <summary>Gossip port.</summary>
    public int Port { get; init; }

    /// <summary>Serf tags (role, dc, build …).</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>Serf status: 1 alive, 2 leaving, 3 left, 4 failed.</summary>
    public int Status { get; init; }

    /// <summary>True when serf reports the member alive.</summary>
    public bool IsAlive => Status == 1;
}
