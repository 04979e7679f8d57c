using System.Globalization;
using System.Text;

namespace Discovery.Core.Observability;

/// <summary>
/// Reads the sample lines of Prometheus text exposition (what the node agents' /metrics serve), for
/// the scaler leader's CPU/RSS source and alerts. Comments and lines it cannot read are skipped —
/// they come over the network, so nothing in them may stop the leader; <see cref="Parse"/> counts them.
/// </summary>
internal static class PrometheusTextParser
{
    public static IReadOnlyList<PrometheusSample> Parse(string text, out int skipped)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        skipped = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (TryParseLine(line) is { } sample)
            {
                samples.Add(sample);
            }
            else
            {
                skipped++;
            }
        }

        return samples;
    }

    /// <summary>One sample line: <c>name{a="x",b="y"} value [timestamp]</c> or <c>name value</c>; null when malformed.</summary>
    public static PrometheusSample? TryParseLine(string line)
    {
        var position = 0;
        while (position < line.Length && IsNameChar(line[position], position == 0))
        {
            position++;
        }

        if (position == 0)
        {
            return null;
        }

        var name = line[..position];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (true)
            {
                SkipSpaces(line, ref position);
                if (position < line.Length && line[position] == '}')
                {
                    position++;
                    break;
                }

                var labelStart = position;
                while (position < line.Length && IsNameChar(line[position], position == labelStart))
                {
                    position++;
                }

                if (position == labelStart || position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
                {
                    return null;
                }

                var label = line[labelStart..position];
                position += 2;
                var value = new StringBuilder();
                while (position < line.Length && line[position] != '"')
                {
                    if (line[position] == '\\' && position + 1 < line.Length)
                    {
                        position++;
                        value.Append(line[position] == 'n' ? '\n' : line[position]);
                    }
                    else
                    {
                        value.Append(line[position]);
                    }

                    position++;
                }

                if (position >= line.Length)
                {
                    return null; // unterminated value
                }

                position++;
                labels[label] = value.ToString();
                SkipSpaces(line, ref position);
                if (position < line.Length && line[position] == ',')
                {
                    position++;
                }
            }
        }

        var rest = line[position..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length is < 1 or > 2 || !TryParseValue(rest[0], out var number))
        {
            return null;
        }

        return new PrometheusSample(name, labels, number);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (!first && c is >= '0' and <= '9');

    private static void SkipSpaces(string line, ref int position)
    {
        while (position < line.Length && line[position] == ' ')
        {
            position++;
        }
    }
}
