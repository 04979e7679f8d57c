namespace Discovery.Bench.ScaleReaction;

/// <summary>Timing of one scale-reaction run; defaults are the scaler's documented defaults.</summary>
internal sealed record ScaleReactionOptions
{
    public TimeSpan Scrape { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Eval { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan UpCooldown { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan DownCooldown { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan Stabilization { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Longest wait for one transition before it is reported as timed out.</summary>
    public TimeSpan PhaseLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Offered load below the step policy's lower threshold (50 per instance) at one instance.</summary>
    public double LowRpm { get; init; } = 30;

    /// <summary>Offered load above the upper threshold (100 per instance): 250 needs 3 instances.</summary>
    public double HighRpm { get; init; } = 250;

    public int Max { get; init; } = 3;
}
