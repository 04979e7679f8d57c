using Discovery.Consul.KV;

namespace Discovery.Consul.Watching;

/// <summary>
/// Compares what a reader of a key can act on: the key, its value bytes, flags, and the session
/// and lock count that make it a lock. Two missing keys (null) are equal. The Raft indexes are
/// left out on purpose: rewriting identical content is not a change of data.
/// </summary>
public sealed class KVPairComparer : IEqualityComparer<KVPair?>
{
    /// <summary>The one instance.</summary>
    public static readonly KVPairComparer Content = new();

    /// <summary>Whole listings (a prefix), key by key in Consul's order.</summary>
    public static readonly SequenceComparer<KVPair?> Listing = new(Content);

    private KVPairComparer()
    {
    }

    /// <inheritdoc />
    public bool Equals(KVPair? x, KVPair? y) =>
        ReferenceEquals(x, y)
        || (x is not null && y is not null
            && x.Key == y.Key
            && x.Flags == y.Flags
            && x.LockIndex == y.LockIndex
            && x.Session == y.Session
            && (x.Value ?? []).AsSpan().SequenceEqual(y.Value ?? []));

    /// <inheritdoc />
    public int GetHashCode(KVPair? obj) => obj is null ? 0 : HashCode.Combine(obj.Key, obj.Value?.Length ?? 0, obj.Session);
}
