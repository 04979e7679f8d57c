using System.Globalization;
using System.Text;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// Go text/template value semantics on our runtime values: string, long (Go int), double, bool,
/// null, service instances, catalog entries, lists (read through IReadOnlyList&lt;object&gt;,
/// which every list of reference types satisfies) and map[string]string.
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
        IReadOnlyDictionary<string, string> map => map.Count > 0,
        _ => true,
    };

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
    public static void AppendDefault(StringBuilder output, object? value)
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
                output.Append(FormatFloat(d));
                break;
            case IReadOnlyList<object?> list:
                output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        output.Append(' ');
                    }

                    AppendDefault(output, list[i]);
                }

                output.Append(']');
                break;
            case IReadOnlyDictionary<string, string> map:
                output.Append("map[");
                var first = true;
                foreach (var key in SortedKeys(map))
                {
                    output.Append(first ? "" : " ").Append(key).Append(':').Append(map[key]);
                    first = false;
                }

                output.Append(']');
                break;
            case TemplateServiceInstance instance:
                output.Append("&{").Append(instance.Node).Append(' ').Append(instance.NodeAddress).Append(' ')
                    .Append(instance.ID).Append(' ').Append(instance.Name).Append(' ').Append(instance.Address).Append(' ')
                    .Append(instance.Port).Append(' ').Append(instance.Status).Append('}');
                break;
            case TemplateCatalogService service:
                output.Append("&{").Append(service.Name).Append(' ');
                AppendDefault(output, service.Tags);
                output.Append('}');
                break;
            default:
                output.Append(value);
                break;
        }
    }

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
        IReadOnlyList<string> => "[]string",
        IReadOnlyList<TemplateServiceInstance> => "[]*dependency.HealthService",
        IReadOnlyList<TemplateCatalogService> => "[]*dependency.CatalogSnippet",
        IReadOnlyList<object?> => "[]interface {}",
        IReadOnlyDictionary<string, string> => "map[string]string",
        TemplateServiceInstance => "*dependency.HealthService",
        TemplateCatalogService => "*dependency.CatalogSnippet",
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
        IReadOnlyDictionary<string, string> map => map.Count,
        _ => throw new TemplateEvaluationError($"len of type {TypeName(value)}"),
    };

    /// <summary>Map keys in Go's range/print order (sorted by bytes).</summary>
    public static string[] SortedKeys(IReadOnlyDictionary<string, string> map)
    {
        var keys = map.Keys.ToArray();
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Go's %v for float64: shortest digits, exponent form only below 1e-4 or from 1e21.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        var roundTrip = value.ToString("E16", CultureInfo.InvariantCulture);
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = int.Parse(roundTrip[(roundTrip.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 21)
        {
            var digits = shortest.Replace("-", "").Replace(".", "");
            var cut = digits.IndexOf('E');
            digits = (cut >= 0 ? digits[..cut] : digits).TrimStart('0');
            var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        return value.ToString("0.####################", CultureInfo.InvariantCulture) is var plain && double.Parse(plain, CultureInfo.InvariantCulture) == value
            ? plain
            : shortest;
    }

    private static bool IsBasic(object? value) => value is string or long or double or bool;
}
