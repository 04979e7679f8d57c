namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// The two map kinds a template meets, read alike: map[string]string (service meta, node meta)
/// and map[string]interface{} (parseJSON objects, byTag groups). Iteration is in Go's order:
/// keys sorted by bytes.
/// </summary>
internal static class GoMaps
{
    public static bool IsMap(object? value) => value is IReadOnlyDictionary<string, string> or IReadOnlyDictionary<string, object?>;

    public static int Count(object? value) => value switch
    {
        IReadOnlyDictionary<string, string> strings => strings.Count,
        IReadOnlyDictionary<string, object?> objects => objects.Count,
        _ => 0,
    };

    /// <summary>
    /// The value at <paramref name="key"/>; an absent key gives the map's zero value ("" for
    /// strings, nil otherwise), as consul-template's missingkey=zero does. False when not a map.
    /// </summary>
    public static bool TryIndex(object? map, string key, out object? value)
    {
        switch (map)
        {
            case IReadOnlyDictionary<string, string> strings:
                value = strings.TryGetValue(key, out var text) ? text : "";
                return true;
            case IReadOnlyDictionary<string, object?> objects:
                value = objects.TryGetValue(key, out var entry) ? entry : null;
                return true;
            default:
                value = null;
                return false;
        }
    }

    public static IEnumerable<(string Key, object? Value)> SortedEntries(object? map)
    {
        switch (map)
        {
            case IReadOnlyDictionary<string, string> strings:
                foreach (var key in SortedKeys(strings.Keys))
                {
                    yield return (key, strings[key]);
                }

                break;
            case IReadOnlyDictionary<string, object?> objects:
                foreach (var key in SortedKeys(objects.Keys))
                {
                    yield return (key, objects[key]);
                }

                break;
        }
    }

    private static string[] SortedKeys(IEnumerable<string> keys)
    {
        var sorted = keys.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}
