using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>consul-template's helpers on lists: contains, in, containsAll/Any/None/NotAll, join, byTag; argument order chosen for piping.</summary>
internal static class CollectionFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        // contains "x" .Tags == in .Tags "x"; both take anything (a map or a number is simply false).
        yield return new TemplateFunction("contains", 2, 2, TypeRules.Returns(TemplateType.Bool), (_, a) => In(a.Get(1), a.Get(0)));
        yield return new TemplateFunction("in", 2, 2, TypeRules.Returns(TemplateType.Bool), (_, a) => In(a.Get(0), a.Get(1)));
        yield return ContainsSome("containsAll", returnWhenDone: true, invert: true);
        yield return ContainsSome("containsAny", returnWhenDone: false, invert: false);
        yield return ContainsSome("containsNone", returnWhenDone: true, invert: false);
        yield return ContainsSome("containsNotAll", returnWhenDone: false, invert: true);
        yield return new TemplateFunction("join", 2, 2, JoinType, Join);
        yield return new TemplateFunction("byTag", 1, 1, ByTagType, ByTag);
    }

    /// <summary>
    /// List membership with Go equality of basic values of the same type (1 is not 1.0); substring
    /// for a string container; false for anything else — consul-template's <c>in</c>.
    /// </summary>
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

    /// <summary>
    /// containsAll (every element of v in l), containsAny (some), containsNone (none),
    /// containsNotAll (not every). v must be Go's []interface{} (parseJSON makes one); a []string
    /// is a type error in Go, so it is here too.
    /// </summary>
    private static TemplateFunction ContainsSome(string name, bool returnWhenDone, bool invert) =>
        new(name, 2, 2, InterfaceListFirst, (_, arguments) =>
        {
            var values = arguments.Get(0);
            if (!GoValues.IsInterfaceList(values))
            {
                throw FunctionArguments.WrongType("[]interface {}", values);
            }

            var container = arguments.Get(1);
            foreach (var value in (object?[])values!)
            {
                if (In(container, value) != invert)
                {
                    return !returnWhenDone;
                }
            }

            return returnWhenDone;
        });

    private static TemplateType? InterfaceListFirst(TemplateType[] arguments, out string? error)
    {
        error = arguments[0].IsAny || arguments[0].IsSameAs(TemplateType.AnyList)
            ? null
            : $"wrong type for value; expected []interface {{}}; got {arguments[0]}";
        return error is null ? TemplateType.Bool : null;
    }

    private static TemplateType? JoinType(TemplateType[] arguments, out string? error)
    {
        error = !TemplateType.String.Accepts(arguments[0]) ? $"join's separator must be a string, not {arguments[0]}"
            : !arguments[1].IsAny && !arguments[1].IsSameAs(TemplateType.StringList) ? $"join needs a list of strings, not {arguments[1]}"
            : null;
        return error is null ? TemplateType.String : null;
    }

    private static object? Join(RenderContext context, FunctionArguments arguments)
    {
        var separator = arguments.GetString(0);
        return arguments.Get(1) switch
        {
            IReadOnlyList<string> strings when !GoValues.IsInterfaceList(strings) => string.Join(separator, strings),
            var other => throw FunctionArguments.WrongType("[]string", other),
        };
    }

    /// <summary>byTag takes the instances of <c>service</c> or the entries of <c>services</c> and groups them by tag.</summary>
    private static TemplateType? ByTagType(TemplateType[] arguments, out string? error)
    {
        var input = arguments[0];
        error = null;
        if (input.IsAny || input.Kind == ValueKind.Nil)
        {
            return TemplateType.MapOf(TemplateType.AnyList);
        }

        if (input.Kind == ValueKind.List && (input.Element!.IsSameAs(TemplateType.ServiceInstance) || input.Element.IsSameAs(TemplateType.CatalogService)))
        {
            return TemplateType.MapOf(TemplateType.ListOf(input.Element));
        }

        error = $"byTag: wrong argument type {input}";
        return null;
    }

    private static object? ByTag(RenderContext context, FunctionArguments arguments)
    {
        var groups = new Dictionary<string, List<object?>>(StringComparer.Ordinal);
        void Add(string tag, object entry)
        {
            if (!groups.TryGetValue(tag, out var list))
            {
                groups[tag] = list = [];
            }

            list.Add(entry);
        }

        switch (arguments.Get(0))
        {
            case null:
                break;
            case IReadOnlyList<TemplateServiceInstance> instances:
                foreach (var instance in instances)
                {
                    foreach (var tag in instance.Tags)
                    {
                        Add(tag, instance);
                    }
                }

                break;
            case IReadOnlyList<TemplateCatalogService> services:
                foreach (var service in services)
                {
                    foreach (var tag in service.Tags)
                    {
                        Add(tag, service);
                    }
                }

                break;
            case var other:
                throw new TemplateEvaluationError($"byTag: wrong argument type {GoValues.TypeName(other)}");
        }

        return groups.ToDictionary(pair => pair.Key, pair => (object?)pair.Value.ToArray(), StringComparer.Ordinal)
            .AsReadOnly();
    }
}
