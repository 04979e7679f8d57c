using Prometheus;

namespace Discovery.WebApp.Metrics;

/// <summary>
/// The sample app's request metrics, served on <c>GET /metrics</c> (Prometheus in the lab finds each
/// instance through Consul). A registry of its own, without prometheus-net's default collectors
/// (event counters, meters): the lab runs many instances and each must stay idle when idle. Labels
/// are bounded: the route template, the method and the status code class.
/// </summary>
internal sealed class RequestMetrics
{
    public RequestMetrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        Requests = factory.CreateCounter("app_requests_total", "Requests answered, by path (/, /health, /metrics, other), method and status code.", "path", "method", "code");
        Duration = factory.CreateHistogram("app_request_duration_seconds", "Time to answer a request, by path.",
            ["path"], new HistogramConfiguration { Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        InFlight = factory.CreateGauge("app_requests_in_flight", "Requests being answered now.");
    }

    public CollectorRegistry Registry { get; }

    public Counter Requests { get; }

    public Histogram Duration { get; }

    public Gauge InFlight { get; }

    /// <summary>Known paths keep their name; anything else is "other", so a scanner cannot grow the series.</summary>
    public static string PathLabel(string? path) => path switch
    {
        "/" or "/health" or "/metrics" => path,
        _ => "other",
    };
}
