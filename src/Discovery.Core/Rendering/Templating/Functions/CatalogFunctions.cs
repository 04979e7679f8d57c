using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating.Functions;

/// <summary>
/// consul-template's catalog functions: service, services, node, nodes, datacenters. Each records
/// its dependency; data not loaded yet yields an empty value (so the render still discovers every
/// other dependency) and marks the render incomplete. Results are sorted as consul-template sorts
/// them, so an unchanged catalog renders byte-identical output.
/// </summary>
internal static class CatalogFunctions
{
    public static IEnumerable<TemplateFunction> All()
    {
        yield return new TemplateFunction("service", 1, 2, TypeRules.Strings(TemplateType.ListOf(TemplateType.ServiceInstance)), Service, ValidateServiceQuery);
        yield return new TemplateFunction("services", 0, 0, TypeRules.Returns(TemplateType.ListOf(TemplateType.CatalogService)), Services);
        yield return new TemplateFunction("node", 0, int.MaxValue, TypeRules.Strings(TemplateType.CatalogNode), Node, arguments => RejectDatacenter(arguments, "node"));
        yield return new TemplateFunction("nodes", 0, int.MaxValue, TypeRules.Strings(TemplateType.ListOf(TemplateType.ConsulNode)), Nodes, arguments => RejectDatacenter(arguments, "nodes"));
        yield return new TemplateFunction("datacenters", 0, 1, DatacentersType, Datacenters);
    }

    private static string? ValidateServiceQuery(object?[] constants)
    {
        if (constants.Any(constant => constant is not string))
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
        var text = QueryText(arguments.GetStrings());
        if (text.Length == 0)
        {
            return Array.Empty<TemplateServiceInstance>();
        }

        if (!ServiceQuery.TryParse(text, out var query, out var error))
        {
            throw new TemplateEvaluationError(error!);
        }

        return context.Read<IReadOnlyList<TemplateServiceInstance>>(
            new ServiceDependency(query!), "", raw => FilterAndSort(query!, (IReadOnlyList<TemplateServiceInstance>)raw!), []);
    }

    /// <summary>Keeps what the query asks for, sorted by node then ID like consul-template, tags sorted.</summary>
    private static TemplateServiceInstance[] FilterAndSort(ServiceQuery query, IReadOnlyList<TemplateServiceInstance> instances)
    {
        var kept = new List<TemplateServiceInstance>(instances.Count);
        foreach (var instance in instances)
        {
            if (query.Accepts(instance.Status) && (query.Tag is null || instance.Tags.Contains(query.Tag, StringComparer.Ordinal)))
            {
                kept.Add(Tags.IsSorted(instance.Tags) ? instance : instance with { Tags = Tags.Sorted(instance.Tags) });
            }
        }

        return kept
            .OrderBy(instance => instance.Node, StringComparer.Ordinal)
            .ThenBy(instance => instance.ID, StringComparer.Ordinal)
            .ToArray();
    }

    private static object? Services(RenderContext context, FunctionArguments arguments) =>
        context.Read<IReadOnlyList<TemplateCatalogService>>(
            CatalogServicesDependency.Instance,
            "",
            raw => ((IReadOnlyList<TemplateCatalogService>)raw!)
                .Select(service => Tags.IsSorted(service.Tags) ? service : service with { Tags = Tags.Sorted(service.Tags) })
                .OrderBy(service => service.Name, StringComparer.Ordinal)
                .ToArray(),
            []);

    /// <summary>
    /// The named node (the Consul agent's own when no name is given) with its services sorted by
    /// name then ID; an empty node when it does not exist; nil while not loaded, like consul-template.
    /// </summary>
    private static object? Node(RenderContext context, FunctionArguments arguments)
    {
        var name = string.Concat(arguments.GetStrings());
        RejectDatacenterAtRuntime(name, "node");
        return context.Read<TemplateCatalogNode?>(
            new CatalogNodeDependency(name),
            "",
            raw => raw is TemplateCatalogNode node
                ? node with
                {
                    Services = node.Services
                        .Select(service => Tags.IsSorted(service.Tags) ? service : service with { Tags = Tags.Sorted(service.Tags) })
                        .OrderBy(service => service.Service, StringComparer.Ordinal)
                        .ThenBy(service => service.ID, StringComparer.Ordinal)
                        .ToArray(),
                }
                : new TemplateCatalogNode(null, []),
            null);
    }

    private static object? Nodes(RenderContext context, FunctionArguments arguments)
    {
        RejectDatacenterAtRuntime(string.Concat(arguments.GetStrings()), "nodes");
        return context.Read<IReadOnlyList<TemplateConsulNode>>(
            CatalogNodesDependency.Instance,
            "",
            raw => ((IReadOnlyList<TemplateConsulNode>)raw!)
                .OrderBy(node => node.Node, StringComparer.Ordinal)
                .ThenBy(node => node.Address, StringComparer.Ordinal)
                .ToArray(),
            []);
    }

    private static TemplateType? DatacentersType(TemplateType[] arguments, out string? error)
    {
        error = arguments.Length == 1 && !TemplateType.Bool.Accepts(arguments[0]) ? $"argument 1 must be a bool, not {arguments[0]}" : null;
        return error is null ? TemplateType.StringList : null;
    }

    private static object? Datacenters(RenderContext context, FunctionArguments arguments) =>
        context.Read<IReadOnlyList<string>>(
            new DatacentersDependency(arguments.Count == 1 && arguments.GetBool(0)),
            "",
            raw => ((IReadOnlyList<string>)raw!).Order(StringComparer.Ordinal).ToArray(),
            []);

    /// <summary>consul-template accepts "name@dc" (and nodes "@dc", "~near"); this engine reads one datacenter only.</summary>
    private static string? RejectDatacenter(object?[] constants, string function)
    {
        var text = string.Concat(constants.OfType<string>());
        return text.Length > 0 && (text.Contains('@', StringComparison.Ordinal) || (function == "nodes"))
            ? $"{function} \"{text}\": datacenter (@) and near (~) queries are not supported"
            : null;
    }

    private static void RejectDatacenterAtRuntime(string text, string function)
    {
        if (RejectDatacenter([text], function) is { } error)
        {
            throw new TemplateEvaluationError(error);
        }
    }
}
