namespace Discovery.Core.Scaling.Metrics;

/// <summary>
/// Produces one named metric for an app. The scaler reads every source into a set of named
/// readings and the policy picks the one it scales on, so a new source (node CPU, memory) is a
/// new implementation, not a change to policy or strategy code.
/// </summary>
internal interface IMetricSource
{
    /// <summary>The name a policy uses to select this metric, e.g. <see cref="MetricNames.RequestsPerMinute"/>.</summary>
    string Metric { get; }

    /// <summary>Reads the current value; returns a missing reading (never throws) when data is unavailable.</summary>
    ValueTask<MetricReading> ReadAsync(string app, CancellationToken cancellationToken);
}
