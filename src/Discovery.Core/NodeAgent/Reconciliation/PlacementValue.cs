using System.Globalization;
using System.Text.Json;
using Discovery.Core.Deploying;

namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>What the placement key for this node says.</summary>
/// <param name="Count">The total instance count, when the key holds a valid value.</param>
/// <param name="Error">Why the value was rejected; null for a valid or absent key.</param>
/// <param name="Versions">
/// Instances per version when the key holds a version map (a deploy is or was in progress);
/// null for the plain integer form, which means "this many of the version the node config names".
/// </param>
public sealed record PlacementValue(int? Count, string? Error, IReadOnlyDictionary<string, int>? Versions = null)
{
    public static readonly PlacementValue Absent = new(null, null);

    /// <summary>Upper bound that keeps a typo ("1000") from exhausting a node.</summary>
    public const int MaxInstances = 256;

    /// <summary>
    /// Parses the key's value, untrusted: plain non-negative integer text ("3", surrounding
    /// whitespace allowed) or a JSON object of version → count (<c>{"1.0.0":2,"1.1.0":1}</c>), every
    /// version a <see cref="VersionName"/> and the total at most <see cref="MaxInstances"/>.
    /// <paramref name="raw"/> null means the key does not exist. Anything else is rejected whole,
    /// so the node keeps what it runs.
    /// </summary>
    public static PlacementValue Parse(string? raw)
    {
        if (raw is null)
        {
            return Absent;
        }

        var text = raw.Trim();
        if (text.StartsWith('{'))
        {
            return ParseVersions(text);
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return Invalid($"\"{Shorten(text)}\" is not a non-negative integer or a version map");
        }

        return count > MaxInstances ? Invalid($"{count} is more than {MaxInstances} instances per node") : new PlacementValue(count, null);
    }

    /// <summary>The version-map form, versions in ordinal order so equal maps are equal text.</summary>
    public static string Format(IReadOnlyDictionary<string, int> versions)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (version, count) in versions.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.WriteNumber(version, count);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Equal version maps (both null: both the plain form).</summary>
    public static bool SameVersions(IReadOnlyDictionary<string, int>? a, IReadOnlyDictionary<string, int>? b) =>
        a is null || b is null ? a is null && b is null : a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var count) && count == pair.Value);

    private static PlacementValue ParseVersions(string text)
    {
        if (text.Length > 16 * 1024)
        {
            return Invalid("version map longer than 16 KiB");
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            var versions = new SortedDictionary<string, int>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (VersionName.Problem(property.Name) is { } problem)
                {
                    return Invalid(problem);
                }

                if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var count) || count < 0)
                {
                    return Invalid($"count of version \"{property.Name}\" is not a non-negative integer");
                }

                if (!versions.TryAdd(property.Name, count))
                {
                    return Invalid($"version \"{property.Name}\" appears twice");
                }
            }

            var total = versions.Values.Sum(count => (long)count);
            return total > MaxInstances
                ? Invalid($"{total} is more than {MaxInstances} instances per node")
                : new PlacementValue((int)total, null, versions);
        }
        catch (JsonException error)
        {
            return Invalid($"not a valid version map: {error.Message}");
        }
    }

    private static PlacementValue Invalid(string error) => new(null, error);

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
