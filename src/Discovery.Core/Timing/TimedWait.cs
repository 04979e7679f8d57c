namespace Discovery.Core.Timing;

/// <summary>
/// The one "wait until signalled or timed out" of the agent. The timeout runs on the caller's
/// <see cref="TimeProvider"/> (never the wall clock's <c>CancelAfter</c>), so a test clock decides
/// when a periodic pass is due.
/// </summary>
public static class TimedWait
{
    /// <summary>Waits for <paramref name="signal"/> at most <paramref name="timeout"/> (infinite allowed).</summary>
    /// <param name="signal">The wait for the signal; it must end when its token is cancelled.</param>
    /// <param name="timeout">How long to wait; zero or less returns false at once.</param>
    /// <param name="time">Clock of the timeout.</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <returns>True when the signal came, false when the timeout passed first.</returns>
    public static async Task<bool> UntilAsync(Func<CancellationToken, Task> signal, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signal);
        cancellationToken.ThrowIfCancellationRequested();
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            return false;
        }

        using var expiry = new CancellationTokenSource(timeout, time);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            await signal(wait.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
