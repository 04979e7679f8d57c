using System.Globalization;

namespace Discovery.Core.Scaling.Metrics;

/// <summary>
/// A metric value, or the reason there is none. Missing data makes the scaler hold: an outage
/// must never read as "no traffic".
/// </summary>
internal sealed record MetricReading
{
    private MetricReading(double? value, string? missingReason)
    {
        Value = value;
        MissingReason = missingReason;
    }

    /// <summary>The value; null when <see cref="IsMissing"/>.</summary>
    public double? Value { get; }

    /// <summary>Why there is no value; null when there is one.</summary>
    public string? MissingReason { get; }

    public bool IsMissing => Value is null;

    public static MetricReading Of(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A metric value must be a finite, non-negative number.");
        }

        return new MetricReading(value, null);
    }

    public static MetricReading Missing(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new MetricReading(null, reason);
    }

    public override string ToString() =>
        Value is { } value ? value.ToString("0.##", CultureInfo.InvariantCulture) : $"missing ({MissingReason})";
}
