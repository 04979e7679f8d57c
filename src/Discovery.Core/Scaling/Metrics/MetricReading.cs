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

    /// <summary>How the value was obtained (the rate window and its samples), for the decision record and <c>agent status --why</c>.</summary>
    public string? Detail { get; private init; }

    /// <summary>Age of the newest sample behind the value when it was read.</summary>
    public TimeSpan Age { get; private init; }

    public static MetricReading Of(double value, string? detail = null, TimeSpan age = default)
    {
        if (double.IsNaN(value) || double.IsInfinity(value) || value < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A metric value must be a finite, non-negative number.");
        }

        return new MetricReading(value, null) { Detail = detail, Age = age };
    }

    public static MetricReading Missing(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new MetricReading(null, reason);
    }

    public override string ToString() =>
        Value is { } value ? value.ToString("0.##", CultureInfo.InvariantCulture) : $"missing ({MissingReason})";
}
