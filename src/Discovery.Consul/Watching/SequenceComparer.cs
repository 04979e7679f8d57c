namespace Discovery.Consul.Watching;

/// <summary>
/// Two sequences are equal when they have the same items in the same order, by an item comparer.
/// Consul answers in a stable order (keys sorted, nodes sorted), so watched lists compare without
/// sorting; callers that build sets sort them first.
/// </summary>
/// <typeparam name="T">Item type.</typeparam>
public sealed class SequenceComparer<T>(IEqualityComparer<T> item) : IEqualityComparer<IReadOnlyList<T>?>
{
    /// <summary>Items compared by their own equality (records, strings with ordinal semantics, value tuples).</summary>
    public static readonly SequenceComparer<T> Default = new(EqualityComparer<T>.Default);

    /// <inheritdoc />
    public bool Equals(IReadOnlyList<T>? x, IReadOnlyList<T>? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (!item.Equals(x[i], y[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public int GetHashCode(IReadOnlyList<T>? obj) => obj?.Count ?? -1;
}
