namespace Discovery.Consul.Queries;

/// <summary>
/// Parameters of a read. Plain data, so blocking queries are just "feed LastIndex back as Index".
/// </summary>
public sealed record QueryOptions
{
    /// <summary>Read with default consistency and no blocking.</summary>
    public static readonly QueryOptions Default = new();

    /// <summary>Blocking index: when &gt; 0, Consul holds the request until the result's index passes it or <see cref="Wait"/> elapses.</summary>
    public ulong Index { get; init; }

    /// <summary>Longest time Consul may hold a blocking query (Consul caps at 10 min, default 5 min).</summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>Read consistency.</summary>
    public ConsistencyMode Consistency { get; init; } = ConsistencyMode.Default;

    /// <summary>Datacenter; defaults to the client's.</summary>
    public string? Datacenter { get; init; }

    /// <summary>ACL token for this request only; defaults to the client's.</summary>
    public string? Token { get; init; }

    /// <summary>Consul filter expression (e.g. <c>Service.Meta.node == "n1"</c>).</summary>
    public string? Filter { get; init; }

    /// <summary>Copy that blocks on <paramref name="index"/> for up to <paramref name="wait"/>.</summary>
    public QueryOptions Blocking(ulong index, TimeSpan wait) => this with { Index = index, Wait = wait };
}
