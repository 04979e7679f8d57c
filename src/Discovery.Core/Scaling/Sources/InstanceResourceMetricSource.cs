using Discovery.Core.Observability;
using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Scaling.Sources;

/// <summary>
/// CPU or memory of an app's instances as a scaling metric (<see cref="MetricNames.InstanceCpuPercent"/>,
/// <see cref="MetricNames.InstanceRssMiB"/>), from the node agents' /proc gauges. The value is the sum
/// over the app's instances, so a policy's per-instance thresholds compare the average: a target of 45
/// on instanceCpuPercent keeps instances near 45 % of a core. Missing when any node agent could not be
/// read (an unread node must not look idle) or no instance reports.
/// </summary>
internal sealed class InstanceResourceMetricSource(string metric, NodeAgentMetricsReader reader) : IMetricSource
{
    public string Metric { get; } = metric;

    public async ValueTask<MetricReading> ReadAsync(string app, CancellationToken cancellationToken)
    {
        NodeAgentScrape scrape;
        try
        {
            scrape = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Discovery.Consul.ConsulException error)
        {
            return MetricReading.Missing($"cannot list node agents: {error.Message}");
        }

        if (scrape.Problems.Count > 0)
        {
            return MetricReading.Missing(string.Join("; ", scrape.Problems));
        }

        var (series, scale) = Metric == MetricNames.InstanceCpuPercent
            ? ("discovery_instance_cpu_percent", 1.0)
            : ("discovery_instance_rss_bytes", 1.0 / (1024 * 1024));
        var values = scrape.Values(series, app).ToList();
        return values.Count == 0
            ? MetricReading.Missing($"no instance of {app} reports {series} ({scrape.Asked} node agent(s) read)")
            : MetricReading.Of(values.Sum() * scale, $"{values.Count} instance(s) on {scrape.Asked} node agent(s): {string.Join(", ", values.Select(v => (v * scale).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)))}");
    }
}
