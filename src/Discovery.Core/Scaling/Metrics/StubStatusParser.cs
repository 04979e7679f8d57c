using System.Globalization;

namespace Discovery.Core.Scaling.Metrics;

/// <summary>
/// Parses the text nginx's <c>stub_status</c> module serves:
/// <code>
/// Active connections: 2
/// server accepts handled requests
///  10 10 25
/// Reading: 0 Writing: 1 Waiting: 1
/// </code>
/// Anything else is a failure with a reason, never zeros: zeros would read as "no traffic" and
/// scale the fleet down during an outage.
/// </summary>
internal static class StubStatusParser
{
    public static StubStatus Parse(string text) =>
        TryParse(text, out var status, out var error) ? status : throw new FormatException(error);

    public static bool TryParse(
        string? text,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StubStatus? status,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        status = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "stub_status: empty response";
            return false;
        }

        var lines = text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != 4)
        {
            error = $"stub_status: expected 4 lines, got {lines.Length}";
            return false;
        }

        if (!TryReadLabelled(lines[0], ["Active connections:"], "line 1", out var active, out error))
        {
            return false;
        }

        if (!string.Equals(lines[1], "server accepts handled requests", StringComparison.Ordinal))
        {
            error = $"stub_status: line 2: expected 'server accepts handled requests', got '{Shorten(lines[1])}'";
            return false;
        }

        var counters = lines[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (counters.Length != 3)
        {
            error = $"stub_status: line 3: expected 3 counters, got '{Shorten(lines[2])}'";
            return false;
        }

        var values = new long[3];
        for (var i = 0; i < 3; i++)
        {
            if (!TryParseCount(counters[i], out values[i]))
            {
                error = $"stub_status: line 3: '{Shorten(counters[i])}' is not a non-negative integer";
                return false;
            }
        }

        if (!TryReadLabelled(lines[3], ["Reading:", "Writing:", "Waiting:"], "line 4", out var connectionStates, out error))
        {
            return false;
        }

        status = new StubStatus(
            active[0], values[0], values[1], values[2],
            connectionStates[0], connectionStates[1], connectionStates[2]);
        error = null;
        return true;
    }

    /// <summary>Reads "Label1: n Label2: m ..." with exactly the given labels in order.</summary>
    private static bool TryReadLabelled(
        string line,
        string[] labels,
        string where,
        out long[] values,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        values = new long[labels.Length];
        var rest = line.AsSpan();
        for (var i = 0; i < labels.Length; i++)
        {
            rest = rest.TrimStart();
            if (!rest.StartsWith(labels[i], StringComparison.Ordinal))
            {
                error = $"stub_status: {where}: expected '{labels[i]}' in '{Shorten(line)}'";
                return false;
            }

            rest = rest[labels[i].Length..].TrimStart();
            var end = rest.IndexOf(' ');
            var number = end < 0 ? rest : rest[..end];
            if (!TryParseCount(number, out values[i]))
            {
                error = $"stub_status: {where}: value of '{labels[i]}' is not a non-negative integer in '{Shorten(line)}'";
                return false;
            }

            rest = end < 0 ? [] : rest[end..];
        }

        if (!rest.Trim().IsEmpty)
        {
            error = $"stub_status: {where}: unexpected trailing text in '{Shorten(line)}'";
            return false;
        }

        error = null;
        return true;
    }

    private static bool TryParseCount(ReadOnlySpan<char> text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    // Error messages quote the input; a huge HTML error page must not end up in a log line.
    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
