using Discovery.Consul.Resilience;

namespace Discovery.Consul.Watching;

/// <summary>Tuning of a <see cref="BlockingWatch"/>. Defaults suit sub-second reaction with little load on Consul.</summary>
public sealed record WatchOptions
{
    /// <summary>Defaults.</summary>
    public static readonly WatchOptions Default = new();

    /// <summary>How long Consul may hold each blocking query when nothing changes.</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Least time between two queries, so a rapidly changing index cannot make us spin.</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Random extra delay added to <see cref="MinimumInterval"/>, so many watchers do not march in step.</summary>
    public TimeSpan Jitter { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Backoff after failed queries; never gives up (only cancellation ends a watch).</summary>
    public RetryOptions Retry { get; init; } = new() { BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(5) };
}
