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

        // A failed read means Consul may have restarted, and a restarted Consul can be far behind
        // the index we hold: a blocking read on that index would then hang for the whole wait
        // (a minute by default) before the index is seen going backwards. So the read after any
        // failure is a plain read, compared with what we hold like any other answer.
        var failedSinceLastAnswer = false;
        var retry = ConsulRetry.Create(options.Retry, time, (exception, delay) =>
        {
            failedSinceLastAnswer = true;
            onError?.Invoke(exception, delay);
        });
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
            var blocking = baseOptions.Blocking(index, options.Wait);
            var plain = baseOptions with { Index = 0, Wait = null };
            var result = await retry.ExecuteAsync(
                async ct => await query(index == 0 || failedSinceLastAnswer ? plain : blocking, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            failedSinceLastAnswer = false;
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
