namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>consul-template sorts every tag list it returns (byte order), so output does not depend on registration order.</summary>
internal static class Tags
{
    public static bool IsSorted(IReadOnlyList<string> tags)
    {
        for (var i = 1; i < tags.Count; i++)
        {
            if (string.CompareOrdinal(tags[i - 1], tags[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    public static string[] Sorted(IReadOnlyList<string> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}
