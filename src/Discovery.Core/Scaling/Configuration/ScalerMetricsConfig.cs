namespace Discovery.Core.Scaling.Configuration;

/// <summary>How load balancers are scraped.</summary>
/// <param name="ScrapeInterval">Time between scrapes of every LB's stub_status. Default 5 s.</param>
/// <param name="Window">Span the request rate is averaged over. Default 60 s.</param>
/// <param name="HttpTimeout">Timeout of one scrape; a slower LB counts as unreachable (hold). Default 2 s.</param>
internal sealed record ScalerMetricsConfig(TimeSpan ScrapeInterval, TimeSpan Window, TimeSpan HttpTimeout)
{
    public static ScalerMetricsConfig Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2));
}
