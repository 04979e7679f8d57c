using Prometheus;

namespace Discovery.Core.Observability;

/// <summary>The node agent's metric families. The per-instance gauges are the only ones with an instance label (the node agent owns them; they go when the instance goes).</summary>
internal static class NodeAgentMetrics
{
    private const string Node = "node";

    public static readonly Gauge Instances = MetricCatalog.Gauge(Node, "discovery_node_instances",
        "Instances this node agent supervises, by state (starting, running, backing-off, crash-looping, stopping, draining).", "app", "node", "state");

    public static readonly Counter Restarts = MetricCatalog.Counter(Node, "discovery_node_instance_restarts_total",
        "Instance exits the node agent restarted after (kill -9, crash, exit).", "app", "node");

    public static readonly Counter CrashLoops = MetricCatalog.Counter(Node, "discovery_node_crash_loops_total",
        "Times an instance entered a crash loop (too many exits within the restart window).", "app", "node");

    public static readonly Histogram RegistrationLatency = MetricCatalog.Histogram(Node, "discovery_node_registration_seconds",
        "From an instance's process start to its first registration in Consul (readiness probe included).", MetricCatalog.LatencyBuckets, "app", "node");

    public static readonly Histogram DrainDuration = MetricCatalog.Histogram(Node, "discovery_node_drain_seconds",
        "From taking an instance out of rotation to its deregistration (wait for the load balancers, stop).", MetricCatalog.LatencyBuckets, "app", "node");

    public static readonly Gauge InstanceCpu = MetricCatalog.Gauge(Node, "discovery_instance_cpu_percent",
        "CPU of an instance's process (% of one core) since the previous scrape, from /proc.", "app", "node", "instance");

    public static readonly Gauge InstanceRss = MetricCatalog.Gauge(Node, "discovery_instance_rss_bytes",
        "Resident memory of an instance's process, from /proc.", "app", "node", "instance");

    /// <summary>Defines the families: reading a field runs the static initializers (a method call alone need not).</summary>
    public static void Touch() => GC.KeepAlive(Instances);
}
