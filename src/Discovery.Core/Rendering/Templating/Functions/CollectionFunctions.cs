using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>consul-template's helpers on lists and strings, argument order chosen for piping.</summary>
internal static class CollectionFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        // contains "x" .Tags == in .Tags "x"; both read naturally after a pipe.
        yield return new TemplateFunction("contains", 2, 2, ContainerType(containerIndex: 1), (_, a) => In(a.Get(1), a.Get(0)));
        yield return new TemplateFunction("in", 2, 2, ContainerType(containerIndex: 0), (_, a) => In(a.Get(0), a.Get(1)));
        yield return new TemplateFunction("join", 2, 2, JoinType, Join);
        yield return new TemplateFunction("toLower", 1, 1, TypeRules.Strings(TemplateType.String), (_, a) => a.GetString(0).ToLowerInvariant());
        yield return new TemplateFunction("toUpper", 1, 1, TypeRules.Strings(TemplateType.String), (_, a) => a.GetString(0).ToUpperInvariant());
    }

    private static TypeRule ContainerType(int containerIndex) => (TemplateType[] arguments, out string? error) =>
    {
        var container = arguments[containerIndex];
        error = container.Kind is ValueKind.Any or ValueKind.List or ValueKind.String
            ? null
            : $"argument {containerIndex + 1} must be a list or a string, not {container}";
        return error is null ? TemplateType.Bool : null;
    };

    /// <summary>List membership with Go equality of basic values; substring for strings; false otherwise.</summary>
    private static bool In(object? container, object? value)
    {
        switch (container)
        {
            case string text:
                return value is string part && text.Contains(part, StringComparison.Ordinal);
            case IReadOnlyList<object?> list:
                foreach (var element in list)
                {
                    var equal = (element, value) switch
                    {
                        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
                        (long a, long b) => a == b,
                        (double a, double b) => a == b,
                        _ => false,
                    };
                    if (equal)
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private static TemplateType? JoinType(TemplateType[] arguments, out string? error)
    {
        error = !TemplateType.String.Accepts(arguments[0]) ? $"join's separator must be a string, not {arguments[0]}"
            : !TemplateType.StringList.Accepts(arguments[1]) ? $"join needs a list of strings, not {arguments[1]}"
            : null;
        return error is null ? TemplateType.String : null;
    }

    private static object? Join(RenderContext context, FunctionArguments arguments)
    {
        var separator = arguments.GetString(0);
        return arguments.Get(1) switch
        {
            IReadOnlyList<string> strings => string.Join(separator, strings),
            var other => throw new TemplateEvaluationError($"wrong type for value; expected []string; got {GoValues.TypeName(other)}"),
        };
    }
}
