using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// Go's time.Format for a UTC time: the layout is written as the reference time
/// Mon Jan 2 15:04:05 MST 2006, and each reference element (2006, 01, Jan, 15, 04, 05, .000, MST,
/// -07:00, Z07:00 …) is replaced by the time's value; everything else is copied.
/// </summary>
internal static class GoTimeLayout
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    private static readonly string[] LongDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] LongMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] Zones = ["-07:00:00", "-070000", "-07:00", "-0700", "-07", "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07"];

    public static string Format(DateTimeOffset instant, string layout)
    {
        var time = instant.UtcDateTime;
        var output = new StringBuilder(layout.Length + 10);
        var i = 0;
        while (i < layout.Length)
        {
            var (text, length) = Element(time, layout, i);
            if (length == 0)
            {
                output.Append(layout[i]);
                i++;
            }
            else
            {
                output.Append(text);
                i += length;
            }
        }

        return output.ToString();
    }

    /// <summary>The value of the reference element starting at <paramref name="i"/> and its length in the layout; length 0 when none starts there.</summary>
    private static (string Text, int Length) Element(DateTime time, string layout, int i)
    {
        var rest = layout.AsSpan(i);
        switch (layout[i])
        {
            case 'J' when rest.StartsWith("January"):
                return (LongMonths[time.Month - 1], 7);
            case 'J' when rest.StartsWith("Jan") && !StartsWithLower(layout, i + 3):
                return (LongMonths[time.Month - 1][..3], 3);
            case 'M' when rest.StartsWith("Monday"):
                return (LongDays[(int)time.DayOfWeek], 6);
            case 'M' when rest.StartsWith("Mon") && !StartsWithLower(layout, i + 3):
                return (LongDays[(int)time.DayOfWeek][..3], 3);
            case 'M' when rest.StartsWith("MST"):
                return ("UTC", 3);
            case '0' when rest.StartsWith("002"):
                return (Number(time.DayOfYear, 3), 3);
            case '0' when rest.Length >= 2 && rest[1] is >= '1' and <= '6':
                return (rest[1] switch
                {
                    '1' => Number(time.Month, 2),
                    '2' => Number(time.Day, 2),
                    '3' => Number(Hour12(time), 2),
                    '4' => Number(time.Minute, 2),
                    '5' => Number(time.Second, 2),
                    _ => Number(time.Year % 100, 2),
                }, 2);
            case '1' when rest.StartsWith("15"):
                return (Number(time.Hour, 2), 2);
            case '1':
                return (Number(time.Month, 1), 1);
            case '2' when rest.StartsWith("2006"):
                return (Number(time.Year, 4), 4);
            case '2':
                return (Number(time.Day, 1), 1);
            case '_' when rest.StartsWith("__2"):
                return (time.DayOfYear.ToString(CultureInfo.InvariantCulture).PadLeft(3), 3);
            case '_' when rest.StartsWith("_2") && !rest.StartsWith("_2006"):
                return (time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2), 2);
            case '3':
                return (Number(Hour12(time), 1), 1);
            case '4':
                return (Number(time.Minute, 1), 1);
            case '5':
                return (Number(time.Second, 1), 1);
            case 'P' when rest.StartsWith("PM"):
                return (time.Hour >= 12 ? "PM" : "AM", 2);
            case 'p' when rest.StartsWith("pm"):
                return (time.Hour >= 12 ? "pm" : "am", 2);
            case '-' or 'Z':
                foreach (var zone in Zones)
                {
                    if (rest.StartsWith(zone))
                    {
                        // UTC: "Z" for the Z forms, otherwise +00 with the layout's shape.
                        return (zone[0] == 'Z' ? "Z" : "+" + zone[1..].Replace('7', '0'), zone.Length);
                    }
                }

                return ("", 0);
            case '.' or ',' when rest.Length >= 2 && rest[1] is '0' or '9':
                return Fraction(time, layout, i);
            default:
                return ("", 0);
        }
    }

    /// <summary>
    /// ".000" (always that many digits) or ".999" (trailing zeros dropped, nothing at all when zero);
    /// only when the run of digits is not followed by another digit, as in Go.
    /// </summary>
    private static (string Text, int Length) Fraction(DateTime time, string layout, int i)
    {
        var digit = layout[i + 1];
        var end = i + 1;
        while (end < layout.Length && layout[end] == digit)
        {
            end++;
        }

        if (end < layout.Length && char.IsAsciiDigit(layout[end]))
        {
            return ("", 0);
        }

        var count = Math.Min(end - i - 1, 9);
        var nanoseconds = (time.Ticks % TimeSpan.TicksPerSecond) * 100;
        var digits = nanoseconds.ToString("D9", CultureInfo.InvariantCulture)[..count];
        if (digit == '9')
        {
            digits = digits.TrimEnd('0');
            return (digits.Length == 0 ? "" : layout[i] + digits, end - i);
        }

        return (layout[i] + digits, end - i);
    }

    private static int Hour12(DateTime time) => time.Hour % 12 == 0 ? 12 : time.Hour % 12;

    private static bool StartsWithLower(string layout, int at) => at < layout.Length && char.IsAsciiLetterLower(layout[at]);

    private static string Number(int value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
}
