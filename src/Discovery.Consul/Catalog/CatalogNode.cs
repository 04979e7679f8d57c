using Discovery.Consul.Agent;

namespace Discovery.Consul.Catalog;

/// <summary>A node with the services registered on it (GET /v1/catalog/node/:node).</summary>
public sealed record CatalogNode
{
    /// <summary>The node.</summary>
    public Node Node { get; init; } = new();

    /// <summary>Its services by instance ID.</summary>
    public IReadOnlyDictionary<string, AgentService>? Services { get; init; }
}
