using System.Diagnostics.Metrics;
using Discovery.Consul.Telemetry;
using Prometheus;

namespace Discovery.Core.Observability;

/// <summary>
/// Every daemon's Consul traffic (requests and errors by endpoint, latency, blocking queries open),
/// bridged from the Consul client's .NET meter (<see cref="ConsulRequestMeter"/>) into the process's
/// registry; the last answer's time feeds <see cref="HealthState"/>.
/// </summary>
internal static class ConsulMetrics
{
    private const string All = "all";

    public static readonly Counter Requests = MetricCatalog.Counter(All, "discovery_consul_requests_total",
        "Consul HTTP requests by API endpoint (no keys or names), method and outcome (ok, error = Consul answered an error, unavailable = no answer).",
        "endpoint", "method", "outcome");

    public static readonly Histogram Latency = MetricCatalog.Histogram(All, "discovery_consul_request_duration_seconds",
        "Latency of non-blocking Consul requests that got an answer.", MetricCatalog.LatencyBuckets, "endpoint", "method");

    public static readonly Gauge BlockingOpen = MetricCatalog.Gauge(All, "discovery_consul_blocking_queries_open",
        "Blocking queries (watches) waiting on Consul now.", "endpoint");

    private static readonly Lock StartLock = new();
    private static MeterListener? _listener;
    private static long _lastAnswerTicks;

    /// <summary>When Consul last answered this process (any HTTP answer); null = never.</summary>
    public static DateTimeOffset? LastAnswerAt => Interlocked.Read(ref _lastAnswerTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>Defines the families: reading a field runs the static initializers (a method call alone need not).</summary>
    public static void Touch() => GC.KeepAlive(Requests);

    /// <summary>Starts listening to the Consul client's meter (idempotent).</summary>
    public static void Start()
    {
        lock (StartLock)
        {
            if (_listener is not null)
            {
                return;
            }

            _listener = new MeterListener
            {
                InstrumentPublished = (instrument, listener) =>
                {
                    if (instrument.Meter.Name == ConsulRequestMeter.MeterName)
                    {
                        listener.EnableMeasurementEvents(instrument);
                    }
                },
            };
            _listener.SetMeasurementEventCallback<double>(OnDuration);
            _listener.SetMeasurementEventCallback<long>(OnBlocking);
            _listener.Start();
        }
    }

    private static void OnDuration(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string endpoint = "other", method = "GET", outcome = ConsulRequestMeter.OutcomeOk;
        var blocking = false;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "endpoint": endpoint = tag.Value as string ?? endpoint; break;
                case "method": method = tag.Value as string ?? method; break;
                case "outcome": outcome = tag.Value as string ?? outcome; break;
                case "blocking": blocking = tag.Value is true; break;
            }
        }

        Requests.WithLabels(endpoint, method, outcome).Inc();
        if (outcome != ConsulRequestMeter.OutcomeUnavailable)
        {
            Interlocked.Exchange(ref _lastAnswerTicks, TimeProvider.System.GetUtcNow().UtcTicks);
            if (!blocking)
            {
                Latency.WithLabels(endpoint, method).Observe(seconds);
            }
        }
    }

    private static void OnBlocking(Instrument instrument, long change, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "endpoint" && tag.Value is string endpoint)
            {
                BlockingOpen.WithLabels(endpoint).Inc(change);
            }
        }
    }
}
