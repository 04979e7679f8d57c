using System.Text;
using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>consul-template's string helpers, with Go's strings package semantics (the string to work on comes last, for piping).</summary>
internal static class StringFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("split", 2, 2, TypeRules.Strings(TemplateType.StringList), (_, a) => Split(a.GetString(0), a.GetString(1)));
        yield return new TemplateFunction("replaceAll", 3, 3, TypeRules.Strings(TemplateType.String), (_, a) => ReplaceAll(a.GetString(2), a.GetString(0), a.GetString(1)));
        yield return new TemplateFunction("trimSpace", 1, 1, TypeRules.Strings(TemplateType.String), (_, a) => a.GetString(0).Trim());
        yield return new TemplateFunction("toLower", 1, 1, TypeRules.Strings(TemplateType.String), (_, a) => a.GetString(0).ToLowerInvariant());
        yield return new TemplateFunction("toUpper", 1, 1, TypeRules.Strings(TemplateType.String), (_, a) => a.GetString(0).ToUpperInvariant());
    }

    /// <summary>consul-template trims the input first and returns an empty list for an empty one; an empty separator splits into characters (Go's strings.Split).</summary>
    private static string[] Split(string separator, string text)
    {
        text = text.Trim();
        if (text.Length == 0)
        {
            return [];
        }

        return separator.Length == 0
            ? text.EnumerateRunes().Select(rune => rune.ToString()).ToArray()
            : text.Split(separator);
    }

    /// <summary>Go's strings.ReplaceAll: an empty <paramref name="old"/> inserts <paramref name="replacement"/> around every character.</summary>
    private static string ReplaceAll(string text, string old, string replacement)
    {
        if (old.Length > 0)
        {
            return text.Replace(old, replacement, StringComparison.Ordinal);
        }

        var output = new StringBuilder(replacement);
        foreach (var rune in text.EnumerateRunes())
        {
            output.Append(rune.ToString()).Append(replacement);
        }

        return output.ToString();
    }
}
