using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Scaling.Sources;

/// <summary>Timing of <see cref="StubStatusMetricSource"/>.</summary>
internal sealed record StubStatusSourceOptions(TimeSpan ScrapeInterval, TimeSpan HttpTimeout, RequestRateWindowOptions RateWindow)
{
    /// <summary>
    /// Window options for a scrape interval: a gap or staleness of three missed scrapes (at least
    /// the core's 30 s default) marks the rate missing. Each sample's own scrape request is not counted
    /// as traffic (nginx counts it like any other).
    /// </summary>
    public static StubStatusSourceOptions For(TimeSpan scrapeInterval, TimeSpan window, TimeSpan httpTimeout)
    {
        var tolerance = TimeSpan.FromTicks(Math.Max(scrapeInterval.Ticks * 3, TimeSpan.FromSeconds(30).Ticks));
        return new StubStatusSourceOptions(
            scrapeInterval,
            httpTimeout,
            new RequestRateWindowOptions { Window = window, MaxSampleGap = tolerance, MaxStaleness = tolerance, OwnRequestsPerSample = 1 });
    }
}
