using System.Runtime.CompilerServices;
using Discovery.Consul.Queries;

namespace Discovery.Consul.Watching;

/// <summary>
/// Follows one Consul query with blocking queries, applying Consul's rules in one place:
/// the first read is immediate; then each read blocks on the last index; an unchanged index is
/// asked again without an event; an index that went backwards (a restarted Consul, a snapshot
/// restore) resets to 0 and yields; an index of 0 is treated as 1; a minimum gap plus jitter
/// separates reads; failures back off exponentially with jitter and never end the watch —
/// only cancellation does, at once.
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
        ulong index = 0;
        var failures = 0;
        var first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!first)
            {
                await Task.Delay(options.MinimumInterval + Jittered(options.Jitter), time, cancellationToken).ConfigureAwait(false);
            }

            first = false;
            QueryResult<T> result;
            try
            {
                var current = index == 0 ? baseOptions with { Index = 0, Wait = null } : baseOptions.Blocking(index, options.Wait);
                result = await query(current, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (!cancellationToken.IsCancellationRequested && error is ConsulUnavailableException or ConsulApiException)
            {
                failures++;
                var delay = RetryDelay(options, failures);
                onError?.Invoke(error, delay);
                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            failures = 0;
            var next = Math.Max(result.LastIndex, 1UL);
            if (index != 0 && next == index)
            {
                continue; // woke up at the wait deadline (or for an unrelated change): nothing new
            }

            index = next < index ? 0 : next; // backwards: start over with a non-blocking read
            yield return result;
        }
    }

    /// <summary>Exponential backoff with ±25 % jitter, capped.</summary>
    internal static TimeSpan RetryDelay(WatchOptions options, int failures)
    {
        var exponential = options.RetryBaseDelay * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = exponential < options.RetryMaxDelay ? exponential : options.RetryMaxDelay;
        return capped * (0.75 + (Random.Shared.NextDouble() * 0.5));
    }

    private static TimeSpan Jittered(TimeSpan jitter) =>
        jitter <= TimeSpan.Zero ? TimeSpan.Zero : jitter * Random.Shared.NextDouble();
}
