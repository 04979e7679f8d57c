using System.Globalization;
using System.Text;
using System.Text.Json;
using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// toJSON (Go's json.Marshal: HTML-safe escapes, map keys sorted, struct fields in declaration
/// order) and parseJSON (Go's json.Unmarshal into interface{}: objects are map[string]interface{},
/// arrays []interface{}, every number a float64).
/// </summary>
internal static class JsonFunctions
{
    private const int MaxDepth = 1000;

    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("toJSON", 1, 1, ToJsonType, (_, a) => ToJson(a.Get(0)));
        yield return new TemplateFunction("parseJSON", 1, 1, TypeRules.Strings(TemplateType.Any), (_, a) => Parse(a.GetString(0)));
    }

    private static TemplateType? ToJsonType(TemplateType[] arguments, out string? error)
    {
        error = arguments[0].HasIncompleteStruct
            ? $"toJSON of {arguments[0]} is not supported: it would need fields this engine does not read from Consul"
            : null;
        return error is null ? TemplateType.String : null;
    }

    public static string ToJson(object? value)
    {
        var output = new StringBuilder();
        Write(output, value, depth: 0);
        return output.ToString();
    }

    private static void Write(StringBuilder output, object? value, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateEvaluationError("json: nesting too deep");
        }

        switch (value)
        {
            case null:
                output.Append("null");
                break;
            case string s:
                WriteString(output, s);
                break;
            case bool b:
                output.Append(b ? "true" : "false");
                break;
            case long l:
                output.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                output.Append(GoFloat.FormatJson(d));
                break;
            case ITemplateStruct structure when structure.Shape.IsComplete:
                WriteObject(output, structure.Shape.Values(structure), depth); // fields in declaration order
                break;
            case ITemplateStruct structure:
                throw new TemplateEvaluationError($"toJSON of {structure.Shape.GoTypeName} is not supported: it would need fields this engine does not read from Consul");
            case IReadOnlyList<object?> list:
                output.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    output.Append(i > 0 ? "," : "");
                    Write(output, list[i], depth + 1);
                }

                output.Append(']');
                break;
            case not null when GoMaps.IsMap(value):
                WriteObject(output, GoMaps.SortedEntries(value), depth); // keys sorted, as Go
                break;
            default:
                throw new TemplateEvaluationError($"json: unsupported type: {GoValues.TypeName(value)}");
        }
    }

    private static void WriteObject(StringBuilder output, IEnumerable<(string Name, object? Value)> members, int depth)
    {
        output.Append('{');
        var first = true;
        foreach (var (name, value) in members)
        {
            output.Append(first ? "" : ",");
            WriteString(output, name);
            output.Append(':');
            Write(output, value, depth + 1);
            first = false;
        }

        output.Append('}');
    }

    /// <summary>Go's encodeState.string with HTML escaping (current Go: \b and \f have short forms too).</summary>
    private static void WriteString(StringBuilder output, string text)
    {
        output.Append('"');
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                case < ' ':
                    output.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    break;
                default:
                    // A lone surrogate is invalid UTF-8 in Go's terms: it becomes U+FFFD.
                    if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
                    {
                        output.Append("\\ufffd");
                    }
                    else if (char.IsHighSurrogate(c))
                    {
                        output.Append(c).Append(text[++i]);
                    }
                    else
                    {
                        output.Append(c);
                    }

                    break;
            }
        }

        output.Append('"');
    }

    /// <summary>consul-template's parseJSON: "" is an empty map; anything else must be one JSON value.</summary>
    private static object? Parse(string text)
    {
        if (text.Length == 0)
        {
            return new Dictionary<string, object?>(StringComparer.Ordinal).AsReadOnly();
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return Convert(document.RootElement);
        }
        catch (JsonException error)
        {
            throw new TemplateEvaluationError($"parseJSON: {error.Message}");
        }
    }

    private static object? Convert(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject()
            .Aggregate(new Dictionary<string, object?>(StringComparer.Ordinal), (map, property) =>
            {
                map[property.Name] = Convert(property.Value); // a repeated key keeps the last value, as in Go
                return map;
            })
            .AsReadOnly(),
        JsonValueKind.Array => element.EnumerateArray().Select(Convert).ToArray(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => double.Parse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
