using System.Globalization;
using System.Text;

namespace Discovery.Consul.Durations;

/// <summary>
/// Go's duration syntax ("500ms", "10s", "1m30s", "1.5h"), which Consul speaks in its API and
/// configs. Parsing accepts everything Go's time.ParseDuration does for non-negative values;
/// formatting matches Go's Duration.String so values round-trip with Consul and its CLI.
/// </summary>
public static class GoDuration
{
    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("ns", 0), // below tick resolution: handled separately (100 ns per tick)
        ("us", TimeSpan.TicksPerMicrosecond),
        ("µs", TimeSpan.TicksPerMicrosecond),
        ("μs", TimeSpan.TicksPerMicrosecond),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    /// <summary>Parses a Go duration; throws <see cref="FormatException"/> naming the text.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Parses a Go duration, or explains why it is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan value, out string error)
    {
        value = TimeSpan.Zero;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty duration (expected e.g. \"500ms\", \"10s\", \"1m30s\")";
            return false;
        }

        var s = text.Trim();
        if (s == "0")
        {
            return true;
        }

        if (s.StartsWith('-'))
        {
            error = $"\"{text}\" is negative";
            return false;
        }

        var i = 0;
        decimal totalTicks = 0;
        while (i < s.Length)
        {
            var numberStart = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
            {
                i++;
            }

            if (numberStart == i || !decimal.TryParse(s.AsSpan(numberStart, i - numberStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                error = $"\"{text}\" is not a duration (expected e.g. \"500ms\", \"10s\", \"1m30s\")";
                return false;
            }

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
            {
                i++;
            }

            var unit = s[unitStart..i];
            var match = Units.FirstOrDefault(u => u.Unit == unit);
            if (match.Unit is null)
            {
                error = unit.Length == 0
                    ? $"\"{text}\" is missing a unit (ns, us, ms, s, m, h)"
                    : $"\"{text}\" has an unknown unit \"{unit}\" (ns, us, ms, s, m, h)";
                return false;
            }

            totalTicks += match.Unit == "ns" ? number / 100m : number * match.Ticks;
        }

        if (totalTicks > TimeSpan.MaxValue.Ticks)
        {
            error = $"\"{text}\" is too large";
            return false;
        }

        value = TimeSpan.FromTicks((long)decimal.Round(totalTicks));
        return true;
    }

    /// <summary>Formats like Go's Duration.String: "0s", "500ms", "1.5s", "1m30s", "2h0m0s".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        if (value < TimeSpan.Zero)
        {
            builder.Append('-');
            value = value.Duration();
        }

        if (value < TimeSpan.FromSeconds(1))
        {
            var (amount, unit) = value.Ticks >= TimeSpan.TicksPerMillisecond
                ? ((decimal)value.Ticks / TimeSpan.TicksPerMillisecond, "ms")
                : value.Ticks >= TimeSpan.TicksPerMicrosecond
                    ? ((decimal)value.Ticks / TimeSpan.TicksPerMicrosecond, "µs")
                    : (value.Ticks * 100m, "ns");
            return builder.Append(amount.ToString("0.#######", CultureInfo.InvariantCulture)).Append(unit).ToString();
        }

        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || value.Minutes > 0)
        {
            builder.Append(value.Minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        var seconds = value.Seconds + ((decimal)(value.Ticks % TimeSpan.TicksPerSecond) / TimeSpan.TicksPerSecond);
        return builder.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('s').ToString();
    }
}
