using Prometheus;

namespace Discovery.Core.Observability;

/// <summary>
/// The process's metrics: one prometheus-net registry per process (one daemon per process), with no
/// default collectors (the library's event-counter and meter adapters cost CPU at idle), plus the
/// list of every definition so the README's metrics table is printed from the code
/// (`agent metrics list`). Metric classes (<see cref="ConsulMetrics"/>, <see cref="NodeAgentMetrics"/> …)
/// define their families through <see cref="Counter"/>, <see cref="Gauge"/> and <see cref="Histogram"/>.
/// </summary>
internal static class MetricCatalog
{
    private static readonly List<MetricDefinition> Defined = [];
    private static readonly Lock DefinedLock = new();

    public static CollectorRegistry Registry { get; } = CreateRegistry();

    private static IMetricFactory Factory => Metrics.WithCustomRegistry(Registry);

    /// <summary>Every metric family of every daemon (forces each metric class to define its families).</summary>
    public static IReadOnlyList<MetricDefinition> All()
    {
        ConsulMetrics.Touch();
        NodeAgentMetrics.Touch();
        ScalerMetrics.Touch();
        RendererMetrics.Touch();
        lock (DefinedLock)
        {
            return [.. Defined.OrderBy(definition => DaemonOrder(definition.Daemon)).ThenBy(definition => definition.Name, StringComparer.Ordinal)];
        }
    }

    public static Counter Counter(string daemon, string name, string help, params string[] labels)
    {
        Define(daemon, name, "counter", help, labels);
        return Factory.CreateCounter(name, help, labels);
    }

    public static Gauge Gauge(string daemon, string name, string help, params string[] labels)
    {
        Define(daemon, name, "gauge", help, labels);
        return Factory.CreateGauge(name, help, labels);
    }

    public static Histogram Histogram(string daemon, string name, string help, double[] buckets, params string[] labels)
    {
        Define(daemon, name, "histogram", help, labels);
        return Factory.CreateHistogram(name, help, labels, new HistogramConfiguration { Buckets = buckets });
    }

    /// <summary>Buckets for latencies from milliseconds to a minute.</summary>
    public static double[] LatencyBuckets { get; } = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static void Define(string daemon, string name, string type, string help, string[] labels)
    {
        lock (DefinedLock)
        {
            Defined.Add(new MetricDefinition(name, type, help, labels, daemon));
        }
    }

    private static CollectorRegistry CreateRegistry()
    {
        var registry = Metrics.NewCustomRegistry();
        // process_cpu_seconds_total, process_resident_memory_bytes, … read at scrape time only.
        DotNetStats.Register(registry);
        return registry;
    }

    private static int DaemonOrder(string daemon) => daemon switch
    {
        "all" => 0,
        "node" => 1,
        "scaler" => 2,
        "renderer" => 3,
        _ => 4,
    };
}
