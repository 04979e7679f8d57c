using System.Diagnostics;

namespace Discovery.Testing;

/// <summary>
/// The one polling wait for tests and benchmarks: real processes, Consul and nginx take real
/// time, so a condition is asked again until it holds or the bound passes (then a
/// <see cref="TimeoutException"/> that says what was awaited — xunit reports it as the failure).
/// </summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every <paramref name="interval"/> (default 100 ms).</summary>
    /// <param name="tolerate">Exceptions of the condition that mean "not yet" (e.g. Consul restarting); others fail at once.</param>
    public static async Task UntilAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        Func<string> because,
        TimeSpan? interval = null,
        Func<Exception, bool>? tolerate = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await condition().ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception error) when (tolerate?.Invoke(error) == true)
            {
                // not yet
            }

            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds:0.#} s: {because()}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Same, for a synchronous condition.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string because, TimeSpan? interval = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, () => because, interval, null, cancellationToken);
}
