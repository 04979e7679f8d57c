namespace Discovery.Core.Scaling.Metrics;

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

    /// <summary>
    /// Requests every sample itself adds to the counter, subtracted from each delta. nginx's stub_status
    /// counts the scrape that reads it like any client request, so a scraper sees its own polling as
    /// traffic (a 1 s scrape alone is 60 rpm). Default 0 (a counter read out of band); the stub_status
    /// source sets 1.
    /// </summary>
    public int OwnRequestsPerSample { get; init; }

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

        if (OwnRequestsPerSample < 0)
        {
            errors.Add("ownRequestsPerSample: must not be negative");
        }

        if (MinSamples < 2)
        {
            errors.Add("minSamples: must be at least 2");
        }

        return errors;
    }
}
