namespace Discovery.Consul.Agent;

/// <summary>GET /v1/agent/self, reduced to what Discovery uses.</summary>
public sealed record AgentSelf
{
    /// <summary>Agent configuration.</summary>
    public AgentSelfConfig Config { get; init; } = new();

    /// <summary>The agent as a gossip member.</summary>
    public AgentMember Member { get; init; } = new();
}
