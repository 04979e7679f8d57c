using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>Go text/template's predefined functions (all but html, js, urlquery, slice and call).</summary>
internal static class GoBuiltinFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("len", 1, 1, LengthType, (_, a) => GoValues.Length(a.Get(0)));
        yield return new TemplateFunction("print", 0, int.MaxValue, TypeRules.Printed(0), (_, a) => Print(a, newline: false));
        yield return new TemplateFunction("println", 0, int.MaxValue, TypeRules.Printed(0), (_, a) => Print(a, newline: true));
        yield return new TemplateFunction("printf", 1, int.MaxValue, TypeRules.Printed(1, PrintfType), Printf);
        yield return new TemplateFunction("eq", 2, int.MaxValue, TypeRules.Comparable(ordered: false), Equal);
        yield return new TemplateFunction("ne", 2, 2, TypeRules.Comparable(ordered: false), (_, a) => !GoValues.AreEqual(a.Get(0), a.Get(1)));
        yield return new TemplateFunction("lt", 2, 2, TypeRules.Comparable(ordered: true), (_, a) => GoValues.Compare(a.Get(0), a.Get(1)) < 0);
        yield return new TemplateFunction("le", 2, 2, TypeRules.Comparable(ordered: true), (_, a) => GoValues.Compare(a.Get(0), a.Get(1)) <= 0);
        yield return new TemplateFunction("gt", 2, 2, TypeRules.Comparable(ordered: true), (_, a) => GoValues.Compare(a.Get(0), a.Get(1)) > 0);
        yield return new TemplateFunction("ge", 2, 2, TypeRules.Comparable(ordered: true), (_, a) => GoValues.Compare(a.Get(0), a.Get(1)) >= 0);
        yield return new TemplateFunction("and", 1, int.MaxValue, JoinedType, And);
        yield return new TemplateFunction("or", 1, int.MaxValue, JoinedType, Or);
        yield return new TemplateFunction("not", 1, 1, TypeRules.Returns(TemplateType.Bool), (_, a) => !GoValues.IsTrue(a.Get(0)));
        yield return new TemplateFunction("index", 1, int.MaxValue, IndexType, Index);
    }

    private static TemplateType? LengthType(TemplateType[] arguments, out string? error)
    {
        var kind = arguments[0].Kind;
        error = kind is ValueKind.Any or ValueKind.String or ValueKind.List or ValueKind.Map ? null : $"len of type {arguments[0]}";
        return error is null ? TemplateType.Int : null;
    }

    /// <summary>
    /// fmt.Sprint (a space between two operands when neither is a string) or fmt.Sprintln (a space
    /// between all operands, and a newline).
    /// </summary>
    private static string Print(FunctionArguments arguments, bool newline)
    {
        var output = new System.Text.StringBuilder();
        object? previous = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            var value = arguments.Get(i);
            if (i > 0 && (newline || (previous is not string && value is not string)))
            {
                output.Append(' ');
            }

            GoValues.AppendDefault(output, value);
            previous = value;
        }

        return newline ? output.Append('\n').ToString() : output.ToString();
    }

    private static TemplateType? PrintfType(TemplateType[] arguments, out string? error)
    {
        error = TemplateType.String.Accepts(arguments[0]) ? null : $"printf's format must be a string, not {arguments[0]}";
        return error is null ? TemplateType.String : null;
    }

    private static object? Printf(RenderContext context, FunctionArguments arguments)
    {
        var format = arguments.GetString(0);
        var values = new object?[arguments.Count - 1];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = arguments.Get(i + 1);
        }

        return GoFormatter.Sprintf(format, values);
    }

    /// <summary><c>eq a b c</c> is <c>a == b || a == c</c>.</summary>
    private static object? Equal(RenderContext context, FunctionArguments arguments)
    {
        var first = arguments.Get(0);
        for (var i = 1; i < arguments.Count; i++)
        {
            if (GoValues.AreEqual(first, arguments.Get(i)))
            {
                return true;
            }
        }

        return false;
    }

    private static TemplateType? JoinedType(TemplateType[] arguments, out string? error)
    {
        error = null;
        return arguments.Aggregate((left, right) => left.Join(right));
    }

    /// <summary>Returns the first falsy argument or the last one, evaluating no further (Go 1.18+).</summary>
    private static object? And(RenderContext context, FunctionArguments arguments)
    {
        object? value = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            value = arguments.Get(i);
            if (!GoValues.IsTrue(value))
            {
                return value;
            }
        }

        return value;
    }

    /// <summary>Returns the first truthy argument or the last one, evaluating no further (Go 1.18+).</summary>
    private static object? Or(RenderContext context, FunctionArguments arguments)
    {
        object? value = null;
        for (var i = 0; i < arguments.Count; i++)
        {
            value = arguments.Get(i);
            if (GoValues.IsTrue(value))
            {
                return value;
            }
        }

        return value;
    }

    private static TemplateType? IndexType(TemplateType[] arguments, out string? error)
    {
        var current = arguments[0];
        for (var i = 1; i < arguments.Length; i++)
        {
            var key = arguments[i];
            switch (current.Kind)
            {
                case ValueKind.Any:
                    error = null;
                    return TemplateType.Any;
                case ValueKind.List when TemplateType.Int.Accepts(key):
                case ValueKind.Map when TemplateType.String.Accepts(key):
                    current = current.Element!;
                    break;
                case ValueKind.List or ValueKind.Map:
                    error = $"cannot index {current} with {key}";
                    return null;
                default:
                    error = $"can't index item of type {current}";
                    return null;
            }
        }

        error = null;
        return current;
    }

    /// <summary>A list by int (error when out of range), a map by key (its zero value when absent).</summary>
    private static object? Index(RenderContext context, FunctionArguments arguments)
    {
        var current = arguments.Get(0);
        for (var i = 1; i < arguments.Count; i++)
        {
            var key = arguments.Get(i);
            current = (current, key) switch
            {
                (IReadOnlyList<object?> list, long position) when position >= 0 && position < list.Count => list[(int)position],
                (IReadOnlyList<object?>, long position) => throw new TemplateEvaluationError($"index out of range: {position}"),
                (_, string name) when GoMaps.TryIndex(current, name, out var value) => value,
                (null, _) => throw new TemplateEvaluationError("index of untyped nil"),
                _ => throw new TemplateEvaluationError($"cannot index {GoValues.TypeName(current)} with {GoValues.TypeName(key)}"),
            };
        }

        return current;
    }
}
