using System.Text;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// Go text/template value semantics on our runtime values: string, long (Go int), double, bool,
/// null, structs (<see cref="ITemplateStruct"/>), lists (read through IReadOnlyList&lt;object&gt;,
/// which every list of reference types satisfies; an <c>object?[]</c> is Go's []interface{}) and
/// maps (map[string]string as IReadOnlyDictionary&lt;string, string&gt;, map[string]interface{} as
/// IReadOnlyDictionary&lt;string, object?&gt;).
/// </summary>
internal static class GoValues
{
    /// <summary>Go truthiness: false, 0, "", nil and empty collections are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        IReadOnlyList<object?> list => list.Count > 0,
        _ when GoMaps.IsMap(value) => GoMaps.Count(value) > 0,
        _ => true,
    };

    /// <summary>Whether <paramref name="value"/> is Go's []interface{} (what parseJSON makes), as opposed to a typed list.</summary>
    public static bool IsInterfaceList(object? value) => value is object?[] array && array.GetType() == typeof(object[]);

    /// <summary>How <c>{{ value }}</c> prints (fmt.Print, with text/template's "&lt;no value&gt;" for nil).</summary>
    public static void Print(StringBuilder output, object? value)
    {
        if (value is null)
        {
            output.Append("<no value>");
            return;
        }

        AppendDefault(output, value);
    }

    /// <summary>fmt's %v.</summary>
    public static void AppendDefault(StringBuilder output, object? value) => AppendDefault(output, value, nested: false);

    public static string ToDefaultString(object? value)
    {
        if (value is string s)
        {
            return s;
        }

        var text = new StringBuilder();
        AppendDefault(text, value);
        return text.ToString();
    }

    /// <summary>Go's type name, for messages and printf's %!verb(type=value).</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "<nil>",
        string => "string",
        long => "int",
        double => "float64",
        bool => "bool",
        ITemplateStruct s => s.Shape.GoTypeName,
        IReadOnlyList<string> => "[]string",
        _ when IsInterfaceList(value) => "[]interface {}",
        IReadOnlyList<ITemplateStruct> list => "[]" + (list.Count > 0 ? list[0].Shape.GoTypeName : "interface {}"),
        IReadOnlyList<object?> => "[]interface {}",
        IReadOnlyDictionary<string, string> => "map[string]string",
        IReadOnlyDictionary<string, object?> => "map[string]interface {}",
        _ => value.GetType().Name,
    };

    /// <summary>Go's eq on two operands: basic kinds compare by value; int and float do not mix.</summary>
    public static bool AreEqual(object? left, object? right)
    {
        switch (left, right)
        {
            case (null, null):
                return true;
            case (null, _):
            case (_, null):
                return false;
            case (string a, string b):
                return string.Equals(a, b, StringComparison.Ordinal);
            case (long a, long b):
                return a == b;
            case (double a, double b):
                return a == b;
            case (bool a, bool b):
                return a == b;
        }

        if (!IsBasic(left) || !IsBasic(right))
        {
            throw new TemplateEvaluationError($"non-comparable types {TypeName(left)} and {TypeName(right)}");
        }

        throw new TemplateEvaluationError($"incompatible types for comparison: {TypeName(left)} and {TypeName(right)}");
    }

    /// <summary>Go's lt/le/gt/ge ordering: strings ordinal (byte order), numbers by value, bools not ordered.</summary>
    public static int Compare(object? left, object? right) => (left, right) switch
    {
        (string a, string b) => string.CompareOrdinal(a, b),
        (long a, long b) => a.CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        _ when !IsBasic(left) || !IsBasic(right) || left is bool || right is bool =>
            throw new TemplateEvaluationError($"invalid type for comparison: {TypeName(left)} and {TypeName(right)}"),
        _ => throw new TemplateEvaluationError($"incompatible types for comparison: {TypeName(left)} and {TypeName(right)}"),
    };

    /// <summary>Go's len: bytes of a string (UTF-8), elements of a list or map.</summary>
    public static long Length(object? value) => value switch
    {
        string s => Encoding.UTF8.GetByteCount(s),
        IReadOnlyList<object?> list => list.Count,
        _ when GoMaps.IsMap(value) => GoMaps.Count(value),
        _ => throw new TemplateEvaluationError($"len of type {TypeName(value)}"),
    };

    private static void AppendDefault(StringBuilder output, object? value, bool nested)
    {
        switch (value)
        {
            case null:
                output.Append("<nil>");
                break;
            case string s:
                output.Append(s);
                break;
            case long l:
                output.Append(l);
                break;
            case bool b:
                output.Append(b ? "true" : "false");
                break;
            case double d:
                output.Append(GoFloat.Format(d));
                break;
            case ITemplateStruct s:
                AppendStruct(output, s, nested);
                break;
            case IReadOnlyList<object?> list:
                output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(' ');
                    }

                    AppendDefault(output, list[i], nested: true);
                }

                output.Append(']');
                break;
            case not null when GoMaps.IsMap(value):
                output.Append("map[");
                var first = true;
                foreach (var (key, entry) in GoMaps.SortedEntries(value))
                {
                    output.Append(first ? "" : " ").Append(key).Append(':');
                    AppendDefault(output, entry, nested: true);
                    first = false;
                }

                output.Append(']');
                break;
            default:
                output.Append(value);
                break;
        }
    }

    /// <summary>
    /// fmt prints a top-level struct pointer as &amp;{field field …} but a nested one as its address;
    /// only the first is reproducible, and only when we carry every field of the Go struct.
    /// </summary>
    private static void AppendStruct(StringBuilder output, ITemplateStruct value, bool nested)
    {
        if (nested || !value.Shape.IsComplete)
        {
            throw new TemplateEvaluationError(
                $"printing a whole {value.Shape.GoTypeName}{(nested ? " inside a list or map" : "")} is not supported; print its fields");
        }

        output.Append("&{");
        var first = true;
        foreach (var (_, field) in value.Shape.Values(value))
        {
            output.Append(first ? "" : " ");
            AppendDefault(output, field, nested: true);
            first = false;
        }

        output.Append('}');
    }

    private static bool IsBasic(object? value) => value is string or long or double or bool;
}
