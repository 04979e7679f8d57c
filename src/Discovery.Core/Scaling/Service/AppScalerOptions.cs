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

    /// <summary>How often the leader looks at a deploy in progress (instances passing and routed, deadlines). Default 250 ms.</summary>
    public TimeSpan DeployTick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The watch on passing node agents (eligible nodes).</summary>
    public WatchOptions NodeWatch { get; init; } = WatchOptions.Default with { Wait = TimeSpan.FromSeconds(30) };

    /// <summary>The watches on the operator's hold, autoscale and policy keys.</summary>
    public WatchOptions OperatorKeyWatch { get; init; } = WatchOptions.Default with { Wait = TimeSpan.FromSeconds(30) };
}
