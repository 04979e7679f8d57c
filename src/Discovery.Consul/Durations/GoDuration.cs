using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Discovery.Consul.Durations;

/// <summary>
/// Go's duration syntax ("300ms", "30s", "1m30s", "1.5h", "-2m"), the one Consul, Nomad and
/// operators already write. Parsing accepts what Go's <c>time.ParseDuration</c> accepts (units
/// ns, us, µs, ms, s, m, h); formatting produces what Go's <c>Duration.String</c> produces
/// ("1m30s", "5m0s", "1h0m0s", "1.5s", "0s"). Precision is a <see cref="TimeSpan"/> tick (100 ns).
/// </summary>
public static class GoDuration
{
    private const long NanosecondsPerTick = 100;

    /// <summary>Parses a Go duration; throws <see cref="FormatException"/> saying why not.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value, out var error) ? value : throw new FormatException(error);

    /// <summary>Parses a Go duration.</summary>
    public static bool TryParse(string? text, out TimeSpan value) => TryParse(text, out value, out _);

    /// <summary>Parses a Go duration, or explains why the text is not one.</summary>
    public static bool TryParse(string? text, out TimeSpan value, [NotNullWhen(false)] out string? error)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            error = "empty duration";
            return false;
        }

        var s = text.AsSpan();
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        // Go accepts a bare "0" (with or without sign) and nothing else without a unit.
        if (s is "0")
        {
            error = null;
            return true;
        }

        if (s.IsEmpty)
        {
            error = $"invalid duration \"{text}\"";
            return false;
        }

        decimal totalNanoseconds = 0;
        while (!s.IsEmpty)
        {
            var numberLength = 0;
            while (numberLength < s.Length && (char.IsAsciiDigit(s[numberLength]) || s[numberLength] == '.'))
            {
                numberLength++;
            }

            var number = s[..numberLength];
            if (number.IsEmpty || number is "." || number.IndexOf('.') != number.LastIndexOf('.'))
            {
                error = $"invalid duration \"{text}\"";
                return false;
            }

            s = s[numberLength..];
            var unitLength = 0;
            while (unitLength < s.Length && !char.IsAsciiDigit(s[unitLength]) && s[unitLength] != '.')
            {
                unitLength++;
            }

            var unit = s[..unitLength];
            s = s[unitLength..];
            if (unit.IsEmpty)
            {
                error = $"missing unit in duration \"{text}\"";
                return false;
            }

            var unitNanoseconds = NanosecondsIn(unit);
            if (unitNanoseconds == 0)
            {
                error = $"unknown unit \"{unit}\" in duration \"{text}\" (use ns, us, ms, s, m or h)";
                return false;
            }

            try
            {
                totalNanoseconds += decimal.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * unitNanoseconds;
            }
            catch (OverflowException)
            {
                error = $"duration \"{text}\" is too large";
                return false;
            }

            if (totalNanoseconds > (decimal)TimeSpan.MaxValue.Ticks * NanosecondsPerTick)
            {
                error = $"duration \"{text}\" is too large";
                return false;
            }
        }

        var ticks = (long)decimal.Truncate(totalNanoseconds / NanosecondsPerTick);
        value = TimeSpan.FromTicks(negative ? -ticks : ticks);
        error = null;
        return true;
    }

    /// <summary>Formats like Go's Duration.String: "0s", "500ms", "1.5s", "1m30s", "5m0s", "1h0m0s".</summary>
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
        }

        // Magnitude in nanoseconds; TimeSpan's range in nanoseconds does not fit a 64-bit integer.
        var nanoseconds = (UInt128)Math.Abs((decimal)value.Ticks * NanosecondsPerTick);
        if (nanoseconds < 1_000_000_000UL)
        {
            // Below one second Go picks the largest unit that keeps a non-zero integer part.
            var (unitNanoseconds, unit) = nanoseconds < 1_000UL ? ((UInt128)1UL, "ns")
                : nanoseconds < 1_000_000UL ? ((UInt128)1_000UL, "µs")
                : ((UInt128)1_000_000UL, "ms");
            AppendFraction(builder, nanoseconds, unitNanoseconds);
            return builder.Append(unit).ToString();
        }

        var hours = nanoseconds / 3_600_000_000_000UL;
        var minutes = nanoseconds / 60_000_000_000UL % 60U;
        var secondsNanoseconds = nanoseconds % 60_000_000_000UL;
        if (hours > 0)
        {
            builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        AppendFraction(builder, secondsNanoseconds, 1_000_000_000UL);
        return builder.Append('s').ToString();
    }

    private static void AppendFraction(StringBuilder builder, UInt128 amount, UInt128 unit)
    {
        builder.Append((amount / unit).ToString(CultureInfo.InvariantCulture));
        var remainder = amount % unit;
        if (remainder == 0)
        {
            return;
        }

        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        var fraction = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        builder.Append('.').Append(fraction);
    }

    private static long NanosecondsIn(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1,
        "us" or "µs" or "μs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        _ => 0,
    };
}
