namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>What the placement key for this node says.</summary>
/// <param name="Count">The instance count, when the key holds one.</param>
/// <param name="Error">Why the value was rejected; null for a valid or absent key.</param>
public sealed record PlacementValue(int? Count, string? Error)
{
    public static readonly PlacementValue Absent = new(null, null);

    /// <summary>
    /// Parses the key's value: plain non-negative integer text (surrounding whitespace allowed).
    /// <paramref name="raw"/> null means the key does not exist.
    /// </summary>
    public static PlacementValue Parse(string? raw)
    {
        if (raw is null)
        {
            return Absent;
        }

        var text = raw.Trim();
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count))
        {
            var shown = text.Length > 40 ? text[..40] + "…" : text;
            return new PlacementValue(null, $"\"{shown}\" is not a non-negative integer");
        }

        return count > MaxInstances
            ? new PlacementValue(null, $"{count} is more than {MaxInstances} instances per node")
            : new PlacementValue(count, null);
    }

    /// <summary>Upper bound that keeps a typo ("1000") from exhausting a node.</summary>
    public const int MaxInstances = 256;
}
