namespace Discovery.Consul.Agent;

/// <summary>A service instance registered with the local agent (PUT /v1/agent/service/register).</summary>
public sealed record ServiceRegistration
{
    /// <summary>Unique instance ID on the agent; defaults to <see cref="Name"/>.</summary>
    public string? ID { get; init; }

    /// <summary>Service name, shared by all instances of an app.</summary>
    public required string Name { get; init; }

    /// <summary>Tags; usable as filters in health queries and templates.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Address clients should use; defaults to the node's address.</summary>
    public string? Address { get; init; }

    /// <summary>Port clients should use.</summary>
    public int? Port { get; init; }

    /// <summary>Free-form metadata (keys up to 128 chars, values up to 512).</summary>
    public IReadOnlyDictionary<string, string>? Meta { get; init; }

    /// <summary>Health checks of this instance.</summary>
    public IReadOnlyList<CheckDefinition>? Checks { get; init; }

    /// <summary>Allow tag changes through the catalog API (anti-entropy then keeps them).</summary>
    public bool? EnableTagOverride { get; init; }
}
