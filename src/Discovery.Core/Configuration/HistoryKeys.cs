using System.Globalization;

namespace Discovery.Core.Configuration;

/// <summary>
/// A leader's decision history in KV (the scaler's per app, the Postgres failover leader's per
/// cluster; docs/contract.md): one key per entry under <see cref="Prefix"/>, numbered with zero
/// padding so KV's lexical order is numeric order, bounded to the newest entries.
/// </summary>
/// <param name="Prefix">The history folder, with its trailing slash.</param>
internal sealed record HistoryKeys(string Prefix)
{
    private const string SequenceFormat = "D12";

    public string Key(long sequence) => Prefix + sequence.ToString(SequenceFormat, CultureInfo.InvariantCulture);

    /// <summary>The sequence number of a history key, or null for a key that is not one.</summary>
    public long? Sequence(string key) =>
        key.StartsWith(Prefix, StringComparison.Ordinal)
        && long.TryParse(key.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;

    /// <summary>
    /// The next entry's number after <paramref name="existing"/> (ascending), and the oldest numbers
    /// to delete so that at most <paramref name="keep"/> entries remain with the new one (no more
    /// than <paramref name="maxDeleted"/> at once: a transaction has a size limit).
    /// </summary>
    public static (long Next, IReadOnlyList<long> Expired) Append(IReadOnlyList<long> existing, int keep, int maxDeleted = int.MaxValue) =>
        ((existing.Count == 0 ? 0 : existing[^1]) + 1, existing.Take(Math.Max(existing.Count + 1 - keep, 0)).Take(maxDeleted).ToList());
}
