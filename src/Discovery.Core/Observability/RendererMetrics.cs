using Prometheus;

namespace Discovery.Core.Observability;

/// <summary>The renderer's metric families; lb = the renderer's name (empty for an HCL config).</summary>
internal static class RendererMetrics
{
    private const string Renderer = "renderer";

    public static readonly Counter Renders = MetricCatalog.Counter(Renderer, "discovery_renderer_renders_total",
        "Template renders by outcome (written = new content swapped in, unchanged = skipped, failed = check or write failed).", "lb", "outcome");

    public static readonly Counter ValidationFailures = MetricCatalog.Counter(Renderer, "discovery_renderer_validation_failures_total",
        "Candidates a template's check (nginx -t) rejected; the last good file stayed.", "lb");

    public static readonly Counter Reloads = MetricCatalog.Counter(Renderer, "discovery_renderer_reloads_total",
        "Template commands run (nginx reload), by outcome (ok, failed).", "lb", "outcome");

    public static readonly Histogram RenderToRouted = MetricCatalog.Histogram(Renderer, "discovery_renderer_render_to_routed_seconds",
        "From the catalog change the renderer saw to the routed set published in KV.", MetricCatalog.LatencyBuckets, "lb");

    public static readonly Counter UnsafeSkipped = MetricCatalog.Counter(Renderer, "discovery_renderer_unsafe_answers_skipped_total",
        "Consul answers distrusted after an outage (they would have dropped instances) and not rendered.", "lb");

    /// <summary>The lb label of this process's renderer (one renderer per process), set once at start.</summary>
    public static string LoadBalancer { get; set; } = "";

    /// <summary>Defines the families: reading a field runs the static initializers (a method call alone need not).</summary>
    public static void Touch() => GC.KeepAlive(Renders);
}
