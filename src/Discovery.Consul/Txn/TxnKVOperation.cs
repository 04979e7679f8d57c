namespace Discovery.Consul.Txn;

/// <summary>The KV part of a transaction operation, in Consul's wire shape. Build with <see cref="TxnOperation"/>'s factories.</summary>
public sealed record TxnKVOperation
{
    /// <summary>set, cas, get, delete, delete-cas, check-session, check-index, check-not-exists, lock, unlock …</summary>
    public required string Verb { get; init; }

    /// <summary>Key the verb applies to.</summary>
    public required string Key { get; init; }

    /// <summary>Value for set/cas/lock.</summary>
    public byte[]? Value { get; init; }

    /// <summary>Flags stored with the value.</summary>
    public ulong? Flags { get; init; }

    /// <summary>ModifyIndex for cas, delete-cas and check-index.</summary>
    public ulong? Index { get; init; }

    /// <summary>Session for check-session, lock and unlock.</summary>
    public string? Session { get; init; }
}
