using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Tests.TestSupport;

/// <summary>A metric seam for leadership tests: the value the test sets (or missing). The real source is tested on its own against nginx.</summary>
internal sealed class SettableMetricSource : IMetricSource
{
    private volatile MetricReading _reading = MetricReading.Missing("not set");

    public string Metric => MetricNames.RequestsPerMinute;

    public void Set(double requestsPerMinute) => _reading = MetricReading.Of(requestsPerMinute);

    public ValueTask<MetricReading> ReadAsync(string app, CancellationToken cancellationToken) => ValueTask.FromResult(_reading);
}
