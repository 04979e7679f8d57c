namespace Discovery.Consul.Catalog;

/// <summary>One instance of a service in the catalog (GET /v1/catalog/service/:name), regardless of health.</summary>
public sealed record CatalogService
{
    /// <summary>Node name.</summary>
    public string Node { get; init; } = "";

    /// <summary>Node address.</summary>
    public string Address { get; init; } = "";

    /// <summary>Instance ID.</summary>
    public string ServiceID { get; init; } = "";

    /// <summary>Service name.</summary>
    public string ServiceName { get; init; } = "";

    /// <summary>Instance address (empty: use <see cref="Address"/>).</summary>
    public string ServiceAddress { get; init; } = "";

    /// <summary>Instance port.</summary>
    public int ServicePort { get; init; }

    /// <summary>Instance tags.</summary>
    public IReadOnlyList<string>? ServiceTags { get; init; }

    /// <summary>Instance metadata.</summary>
    public IReadOnlyDictionary<string, string>? ServiceMeta { get; init; }

    /// <summary>Raft index of the last change.</summary>
    public ulong ModifyIndex { get; init; }
}
