namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>An inclusive port range, written "9000-9099" (or "9000" for a single port).</summary>
public readonly record struct PortRange(int First, int Last)
{
    public int Count => Last - First + 1;

    public bool Contains(int port) => port >= First && port <= Last;

    public bool Overlaps(PortRange other) => First <= other.Last && other.First <= Last;

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";

    /// <summary>Parses "first-last" or "port"; the error says what is wrong in words fit for a config error.</summary>
    public static bool TryParse(string text, out PortRange range, out string? error)
    {
        range = default;
        var parts = text.Split('-', 2);
        if (!TryParsePort(parts[0], out var first) || (parts.Length == 2 && !TryParsePort(parts[1], out _)))
        {
            error = $"\"{text}\" is not a port range (use e.g. \"9000-9099\")";
            return false;
        }

        var last = parts.Length == 2 ? int.Parse(parts[1].Trim(), System.Globalization.CultureInfo.InvariantCulture) : first;
        if (first < 1 || last > 65535)
        {
            error = $"{text} is outside 1-65535";
            return false;
        }

        if (last < first)
        {
            error = $"{text} is empty";
            return false;
        }

        range = new PortRange(first, last);
        error = null;
        return true;
    }

    private static bool TryParsePort(string text, out int port) =>
        int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port);
}
