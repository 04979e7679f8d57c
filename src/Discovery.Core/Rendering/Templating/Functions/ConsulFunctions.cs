using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// consul-template's data functions. Each records its dependency; missing data yields an empty
/// value (so the render still discovers every other dependency) and marks the render incomplete.
/// </summary>
internal static class ConsulFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("service", 1, 2, TypeRules.Strings(TemplateType.ServiceInstanceList), Service, ValidateServiceQuery);
        yield return new TemplateFunction("services", 0, 0, TypeRules.Returns(TemplateType.CatalogServiceList), Services);
        yield return new TemplateFunction("key", 1, 1, TypeRules.Strings(TemplateType.String), Key);
        yield return new TemplateFunction("keyOrDefault", 2, 2, TypeRules.Strings(TemplateType.String), KeyOrDefault);
    }

    private static string? ValidateServiceQuery(object?[] constants)
    {
        if (constants.Any(constant => constant is null))
        {
            return null;
        }

        var text = QueryText(constants.Cast<string>().ToArray());
        return text.Length == 0 || ServiceQuery.TryParse(text, out _, out var error) ? null : error;
    }

    // consul-template joins `service "web" "any"` into "web|any".
    private static string QueryText(string[] parts) => string.Join('|', parts);

    private static object? Service(RenderContext context, FunctionArguments arguments)
    {
        var parts = new string[arguments.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = arguments.GetString(i);
        }

        var text = QueryText(parts);
        if (text.Length == 0)
        {
            return Array.Empty<TemplateServiceInstance>();
        }

        if (!ServiceQuery.TryParse(text, out var query, out var error))
        {
            throw new TemplateEvaluationError(error!);
        }

        if (context.Services.TryGetValue(query!, out var cached))
        {
            return cached;
        }

        var loaded = context.Data.TryGetService(query!, out var instances);
        context.Record(new ServiceDependency(query!), loaded);
        IReadOnlyList<TemplateServiceInstance> result = loaded ? FilterAndSort(query!, instances) : [];
        context.Services[query!] = result;
        return result;
    }

    /// <summary>Keeps what the query asks for, sorted by node then ID like consul-template, tags sorted.</summary>
    private static TemplateServiceInstance[] FilterAndSort(ServiceQuery query, IReadOnlyList<TemplateServiceInstance> instances)
    {
        var kept = new List<TemplateServiceInstance>(instances.Count);
        foreach (var instance in instances)
        {
            if (query.Accepts(instance.Status) && (query.Tag is null || instance.Tags.Contains(query.Tag, StringComparer.Ordinal)))
            {
                kept.Add(IsSorted(instance.Tags) ? instance : instance with { Tags = SortedTags(instance.Tags) });
            }
        }

        return kept
            .OrderBy(instance => instance.Node, StringComparer.Ordinal)
            .ThenBy(instance => instance.ID, StringComparer.Ordinal)
            .ToArray();
    }

    private static object? Services(RenderContext context, FunctionArguments arguments)
    {
        if (context.CatalogServices is { } cached)
        {
            return cached;
        }

        var loaded = context.Data.TryGetServices(out var services);
        context.Record(CatalogServicesDependency.Instance, loaded);
        IReadOnlyList<TemplateCatalogService> result = loaded
            ? services
                .Select(service => IsSorted(service.Tags) ? service : service with { Tags = SortedTags(service.Tags) })
                .OrderBy(service => service.Name, StringComparer.Ordinal)
                .ToArray()
            : [];
        context.CatalogServices = result;
        return result;
    }

    /// <summary>Like consul-template, <c>key</c> waits for the key to exist: an absent key leaves the render incomplete.</summary>
    private static object? Key(RenderContext context, FunctionArguments arguments)
    {
        var path = NormalizePath(arguments.GetString(0));
        if (path.Length == 0)
        {
            return "";
        }

        var value = ReadKey(context, path, out var loaded);
        if (loaded && value is null)
        {
            context.MarkMissing(new KeyDependency(path));
        }

        return value ?? "";
    }

    /// <summary>An absent or empty key gives the default (consul-template treats both alike).</summary>
    private static object? KeyOrDefault(RenderContext context, FunctionArguments arguments)
    {
        var path = NormalizePath(arguments.GetString(0));
        var fallback = arguments.GetString(1);
        if (path.Length == 0)
        {
            return fallback;
        }

        var value = ReadKey(context, path, out _);
        return string.IsNullOrEmpty(value) ? fallback : value;
    }

    private static string? ReadKey(RenderContext context, string path, out bool loaded)
    {
        if (context.Keys.TryGetValue(path, out var cached))
        {
            loaded = true;
            return cached;
        }

        loaded = context.Data.TryGetKey(path, out var value);
        context.Record(new KeyDependency(path), loaded);
        if (loaded)
        {
            context.Keys[path] = value;
        }

        return loaded ? value : null;
    }

    private static string NormalizePath(string path) => path.TrimStart('/');

    private static bool IsSorted(IReadOnlyList<string> tags)
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

    private static string[] SortedTags(IReadOnlyList<string> tags)
    {
        var sorted = tags.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        return sorted;
    }
}
