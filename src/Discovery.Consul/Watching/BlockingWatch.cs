using System.Runtime.CompilerServices;
using Discovery.Consul.Queries;
using Discovery.Consul.Resilience;

namespace Discovery.Consul.Watching;

/// <summary>
/// Follows one Consul query with blocking queries, applying Consul's rules in one place:
/// the first read is immediate; then each read blocks on the last index; an unchanged index is
/// asked again without an event; an index that went backwards (a restarted Consul, a snapshot
/// restore) resets to 0 and yields; an index of 0 is treated as 1; a minimum gap plus jitter
/// separates reads; failures back off through <see cref="ConsulRetry"/> (exponential, jittered,
/// capped) and never end the watch — only cancellation does, at once.
/// </summary>
public static class BlockingWatch
{
    /// <summary>Yields a result on the first read and whenever the index moves.</summary>
    /// <param name="query">The read, given the options to use (index and wait set by the watch).</param>
    /// <param name="baseOptions">Consistency, datacenter, filter … for every read.</param>
    /// <param name="options">Timing; <see cref="WatchOptions.Default"/> when null.</param>
    /// <param name="onError">Told of each failed read and the delay before the next try (for logging and health).</param>
    /// <param name="time">Clock for the delays; the system clock when null.</param>
    /// <param name="cancellationToken">Ends the watch.</param>
    public static async IAsyncEnumerable<QueryResult<T>> WatchAsync<T>(
        Func<QueryOptions, CancellationToken, Task<QueryResult<T>>> query,
        QueryOptions? baseOptions = null,
        WatchOptions? options = null,
        Action<Exception, TimeSpan>? onError = null,
        TimeProvider? time = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        options ??= WatchOptions.Default;
        time ??= TimeProvider.System;
        baseOptions ??= QueryOptions.Default;
        if (options.Retry.MaxRetries is not null)
        {
            throw new ArgumentException("a watch retries until cancelled: WatchOptions.Retry.MaxRetries must be null", nameof(options));
        }

        var retry = ConsulRetry.Create(options.Retry, time, onError);
        ulong index = 0;
        var first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!first)
            {
                await Task.Delay(options.MinimumInterval + Jittered(options.Jitter), time, cancellationToken).ConfigureAwait(false);
            }

            first = false;
            var current = index == 0 ? baseOptions with { Index = 0, Wait = null } : baseOptions.Blocking(index, options.Wait);
            var result = await retry.ExecuteAsync(
                static async (state, ct) => await state.query(state.current, ct).ConfigureAwait(false),
                (query, current),
                cancellationToken).ConfigureAwait(false);
            var next = Math.Max(result.LastIndex, 1UL);
            if (index != 0 && next == index)
            {
                continue; // woke up at the wait deadline (or for an unrelated change): nothing new
            }

            index = next < index ? 0 : next; // backwards: start over with a non-blocking read
            yield return result;
        }
    }

    // The gap between reads is not a retry: it only spreads watchers apart, so it needs no policy.
    private static TimeSpan Jittered(TimeSpan jitter) =>
        jitter <= TimeSpan.Zero ? TimeSpan.Zero : jitter * Random.Shared.NextDouble();
}
