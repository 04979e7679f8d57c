namespace Discovery.Core.Load;

/// <summary>Nearest-rank percentiles over recorded latencies (pure; the load run's p50/p99).</summary>
internal static class LatencyPercentiles
{
    /// <summary>The nearest-rank <paramref name="percentile"/> (0–100] of <paramref name="sorted"/>; null when empty.</summary>
    public static TimeSpan? Of(IReadOnlyList<TimeSpan> sorted, double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percentile);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
