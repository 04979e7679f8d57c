namespace Discovery.Consul.Catalog;

/// <summary>A node in the catalog.</summary>
public sealed record Node
{
    /// <summary>Node ID (UUID).</summary>
    public string ID { get; init; } = "";

    /// <summary>Node name.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("Node")]
    public string Name { get; init; } = "";

    /// <summary>Node address.</summary>
    public string Address { get; init; } = "";

    /// <summary>Datacenter.</summary>
    public string Datacenter { get; init; } = "";

    /// <summary>Addresses by kind ("lan", "wan" …).</summary>
    public IReadOnlyDictionary<string, string>? TaggedAddresses { get; init; }

    /// <summary>Node metadata.</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; init; }
}
