namespace Discovery.Consul.Queries;

/// <summary>Read consistency of a query (see Consul's "Consistency Modes").</summary>
public enum ConsistencyMode
{
    /// <summary>Leader answers, without a quorum round-trip (may be stale in a leader change).</summary>
    Default,

    /// <summary>Leader verifies with a quorum first: never stale. Use for leader locks.</summary>
    Consistent,

    /// <summary>Any server answers: fast, possibly stale; see <see cref="QueryResult{T}.LastContact"/>.</summary>
    Stale,
}
