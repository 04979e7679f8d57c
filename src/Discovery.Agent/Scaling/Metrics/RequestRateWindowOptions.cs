namespace Discovery.Agent.Scaling.Metrics;

/// <summary>How a load balancer's request counter is turned into requests per minute.</summary>
internal sealed record RequestRateWindowOptions
{
    /// <summary>Span of samples the rate is averaged over. Default 60 s: smooths single bursts without lagging minutes behind.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Longest allowed gap between two samples inside the window. Default 30 s: a longer gap means
    /// the load balancer was unreachable and the average would hide what happened in between.
    /// </summary>
    public TimeSpan MaxSampleGap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Oldest the latest sample may be. Default 30 s: older means scraping has stopped working.</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Samples needed for a rate; at least 2 (one delta). Default 2.</summary>
    public int MinSamples { get; init; } = 2;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Window <= TimeSpan.Zero)
        {
            errors.Add("window: must be positive");
        }

        if (MaxSampleGap <= TimeSpan.Zero)
        {
            errors.Add("maxSampleGap: must be positive");
        }

        if (MaxStaleness < TimeSpan.Zero)
        {
            errors.Add("maxStaleness: must not be negative");
        }

        if (MinSamples < 2)
        {
            errors.Add("minSamples: must be at least 2");
        }

        return errors;
    }
}
