using System.Runtime.CompilerServices;

namespace Discovery.Consul.Watching;

/// <summary>
/// Consul's rule for watches, which consul-template follows too: a watch fires on changed
/// <b>data</b>, not on a moved index. <see cref="BlockingWatch"/> yields whenever X-Consul-Index
/// moves, and that index is often shared: a blocking read of a <i>missing</i> key (or of an empty
/// prefix) returns the whole KV table's index, so it wakes on every write to any key. A watcher that
/// acted on each such wake-up — and wrote something — fed its own loop (issue 19: the scaler leader
/// wrote its state ~26 times a second in a quiet lab). Every watcher therefore filters its stream
/// through <see cref="WhereChanged{T}"/>, comparing what it actually uses (a key's content, a set of
/// node names, a projection of the catalog), so missing → missing, an identical rewrite, or another
/// key's write is no event.
/// </summary>
public static class DataChanges
{
    /// <summary>
    /// Yields the first item, then each item that differs from the last one yielded. An item equal to
    /// it is passed to <paramref name="onUnchanged"/> instead (for a debug log: a wake-up that changed nothing).
    /// </summary>
    public static async IAsyncEnumerable<T> WhereChanged<T>(
        this IAsyncEnumerable<T> source,
        IEqualityComparer<T> comparer,
        Action<T>? onUnchanged = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(comparer);
        var seen = false;
        T last = default!;
        await foreach (var item in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (seen && comparer.Equals(last, item))
            {
                onUnchanged?.Invoke(item);
                continue;
            }

            seen = true;
            last = item;
            yield return item;
        }
    }
}
