using System.Globalization;

namespace Discovery.WebApp.Endpoints;

/// <summary>Reads and performs the <c>?delay=ms</c> simulated work of <c>GET /</c>.</summary>
internal static class SimulatedDelay
{
    public const int MaxMilliseconds = 60_000;

    public const string Problem = "delay must be whole milliseconds between 0 and 60000";

    /// <summary>Parses the query value; a missing value means no delay.</summary>
    /// <returns>false when the value is present but not a whole number in range.</returns>
    public static bool TryParse(string? value, out TimeSpan delay)
    {
        delay = TimeSpan.Zero;
        if (value is null)
        {
            return true;
        }

        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds) || milliseconds > MaxMilliseconds)
        {
            return false;
        }

        delay = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>
    /// Waits at least <paramref name="delay"/>: timers may fire up to a clock tick early, and
    /// callers (and tests) rely on "at least", so the remainder is waited out.
    /// </summary>
    public static async Task WaitAsync(TimeSpan delay, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        for (var remaining = delay; remaining > TimeSpan.Zero; remaining = delay - timeProvider.GetElapsedTime(started))
        {
            // Whole milliseconds, rounded up: a sub-millisecond timer would complete at once and spin.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)), timeProvider, cancellationToken);
        }
    }
}
