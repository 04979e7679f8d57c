using System.Text;

namespace Discovery.Consul.Txn;

/// <summary>
/// One operation of an atomic transaction (PUT /v1/txn): all succeed or none is applied.
/// A fenced write is <c>[CheckSession(lockKey, session), Set(...), …]</c>: once the session
/// loses the lock, Consul itself rejects the whole transaction.
/// </summary>
public sealed record TxnOperation
{
    /// <summary>The KV operation (the only kind Discovery uses).</summary>
    public TxnKVOperation? KV { get; init; }

    /// <summary>Sets a key unconditionally.</summary>
    public static TxnOperation Set(string key, byte[] value) => Kv("set", key, value: value);

    /// <summary>Sets a key to UTF-8 text.</summary>
    public static TxnOperation Set(string key, string value) => Set(key, Encoding.UTF8.GetBytes(value));

    /// <summary>Sets a key only if its ModifyIndex is <paramref name="index"/> (0: only if absent).</summary>
    public static TxnOperation Cas(string key, byte[] value, ulong index) => Kv("cas", key, value: value, index: index);

    /// <summary>Reads a key; fails the transaction if it does not exist.</summary>
    public static TxnOperation Get(string key) => Kv("get", key);

    /// <summary>Deletes a key.</summary>
    public static TxnOperation Delete(string key) => Kv("delete", key);

    /// <summary>Deletes a whole prefix.</summary>
    public static TxnOperation DeleteTree(string prefix) => Kv("delete-tree", prefix);

    /// <summary>Deletes a key only if its ModifyIndex is <paramref name="index"/>.</summary>
    public static TxnOperation DeleteCas(string key, ulong index) => Kv("delete-cas", key, index: index);

    /// <summary>Fails the transaction unless <paramref name="session"/> holds <paramref name="key"/>.</summary>
    public static TxnOperation CheckSession(string key, string session) => Kv("check-session", key, session: session);

    /// <summary>Fails the transaction unless the key's ModifyIndex is <paramref name="index"/>.</summary>
    public static TxnOperation CheckIndex(string key, ulong index) => Kv("check-index", key, index: index);

    /// <summary>Fails the transaction if the key exists.</summary>
    public static TxnOperation CheckNotExists(string key) => Kv("check-not-exists", key);

    private static TxnOperation Kv(string verb, string key, byte[]? value = null, ulong? index = null, string? session = null) =>
        new() { KV = new TxnKVOperation { Verb = verb, Key = key, Value = value, Index = index, Session = session } };
}
