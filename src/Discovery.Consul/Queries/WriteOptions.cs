namespace Discovery.Consul.Queries;

/// <summary>Parameters of a write.</summary>
public sealed record WriteOptions
{
    /// <summary>Write with the client's datacenter and token.</summary>
    public static readonly WriteOptions Default = new();

    /// <summary>Datacenter; defaults to the client's.</summary>
    public string? Datacenter { get; init; }

    /// <summary>ACL token for this request only; defaults to the client's.</summary>
    public string? Token { get; init; }
}
