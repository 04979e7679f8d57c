using Discovery.Consul.Watching;

namespace Discovery.Core.Scaling.Service;

/// <summary>Tuning of one app's leadership loop.</summary>
internal sealed record AppScalerOptions
{
    public static AppScalerOptions Default { get; } = new();

    /// <summary>History entries kept under <c>history/</c>; older ones are deleted in the same transaction. Default 50.</summary>
    public int HistoryLimit { get; init; } = 50;

    /// <summary>Delay before the next evaluation after a rolled-back write (e.g. an operator changed desired meanwhile). Default 1 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Delay before contending again after leadership ended in an error. Default 2 s.</summary>
    public TimeSpan ContendAgainDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest pause between terms that keep failing (<see cref="ContendBackoff"/>). Default 60 s.</summary>
    public TimeSpan MaxContendAgainDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The pause before contending again after the <paramref name="failures"/>-th term in a row that
    /// failed before completing a round: <see cref="ContendAgainDelay"/> doubled per failure, at most
    /// <see cref="MaxContendAgainDelay"/>. Every acquisition is a Raft write, and a term that fails the
    /// same way each time (garbage in KV, a bug) must not turn into a hot acquire/step-down loop.
    /// </summary>
    public TimeSpan ContendBackoff(int failures)
    {
        var doublings = Math.Clamp(failures - 1, 0, 20);
        var ticks = Math.Min(ContendAgainDelay.Ticks * (1L << doublings), MaxContendAgainDelay.Ticks);
        return TimeSpan.FromTicks(Math.Max(ticks, ContendAgainDelay.Ticks));
    }

    /// <summary>The watch on passing node agents (eligible nodes).</summary>
    public WatchOptions NodeWatch { get; init; } = WatchOptions.Default with { Wait = TimeSpan.FromSeconds(30) };

    /// <summary>The watches on the operator's hold, autoscale and policy keys.</summary>
    public WatchOptions OperatorKeyWatch { get; init; } = WatchOptions.Default with { Wait = TimeSpan.FromSeconds(30) };
}
