using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// Where Consul's answers become template data, every entry is checked against
/// <see cref="CatalogValueRules"/> and an invalid one is left out, with the reason reported to
/// <c>reject</c> (the data source logs and counts it): an instance with any bad field, a service
/// with a bad name (a bad tag is dropped from its tag list, so one instance cannot hide its app), a
/// node with a bad name or address, a node's bad service, and a <c>default-app</c> key whose value
/// is no app name (it reads as absent, so <c>keyOrDefault</c> falls back). Other KV values are
/// data the template interprets (JSON, numbers) and are not judged here; a template that prints
/// one must check it itself, as upstreams.ctmpl does.
/// </summary>
internal static class UntrustedAnswers
{
    /// <summary>The KV key name (last path segment) whose value nginx-templates print as an app name.</summary>
    public const string DefaultAppKey = "default-app";

    /// <summary>
    /// Valid instances; each one tagged <c>discovery</c> that is not believable is reported to
    /// <paramref name="doubt"/> but kept: only routing templates (peers.ctmpl) leave it out, and
    /// they cannot log, so this is where the reason becomes visible.
    /// </summary>
    public static TemplateServiceInstance[] Instances(IEnumerable<TemplateServiceInstance> instances, Action<string> reject, Action<string> doubt)
    {
        var kept = instances.Where(instance => Keep(InstanceProblem(instance), Describe(instance), reject)).ToArray();
        foreach (var instance in kept)
        {
            if (BelievabilityProblem(instance) is { } problem)
            {
                doubt($"{Describe(instance)}: {problem}");
            }
        }

        return kept;
    }

    /// <summary>
    /// Why a node agent cannot have registered <paramref name="instance"/> (a managed one, tagged
    /// <c>discovery</c>), or null: its ID must be <c>&lt;app&gt;-&lt;node&gt;-&lt;port&gt;</c> and its
    /// address its node's. (peers.ctmpl also requires a passing discovery-agent on the node.)
    /// </summary>
    public static string? BelievabilityProblem(TemplateServiceInstance instance) =>
        !instance.Tags.Contains(ServiceRegistrationFactory.DiscoveryTag) ? null
        : instance.ID != $"{instance.Name}-{instance.Node}-{instance.Port}" ? $"ID is not {instance.Name}-{instance.Node}-{instance.Port}"
        : instance.Address != instance.NodeAddress ? $"address {instance.Address} is not its node's address {instance.NodeAddress}"
        : null;

    private static string Describe(TemplateServiceInstance instance) =>
        $"instance {CatalogValueRules.Quote(instance.ID)} of {CatalogValueRules.Quote(instance.Name)} on node {CatalogValueRules.Quote(instance.Node)}";

    public static TemplateCatalogService[] Services(IEnumerable<TemplateCatalogService> services, Action<string> reject)
    {
        var kept = new List<TemplateCatalogService>();
        foreach (var service in services)
        {
            if (!Keep(CatalogValueRules.Name("service name", service.Name), $"service {CatalogValueRules.Quote(service.Name)}", reject))
            {
                continue;
            }

            var tags = service.Tags.Where(tag => Keep(CatalogValueRules.Tag(tag), $"a tag of service {service.Name}", reject)).ToArray();
            kept.Add(tags.Length == service.Tags.Count ? service : service with { Tags = tags });
        }

        return [.. kept];
    }

    public static TemplateConsulNode[] Nodes(IEnumerable<TemplateConsulNode> nodes, Action<string> reject) =>
        [.. nodes.Where(node => Keep(NodeProblem(node), $"node {CatalogValueRules.Quote(node.Node)}", reject))];

    public static TemplateCatalogNode? CatalogNode(TemplateCatalogNode? node, Action<string> reject)
    {
        if (node?.Node is null)
        {
            return node;
        }

        if (!Keep(NodeProblem(node.Node), $"node {CatalogValueRules.Quote(node.Node.Node)}", reject))
        {
            return null;
        }

        var services = node.Services.Where(service => Keep(NodeServiceProblem(service), $"service {CatalogValueRules.Quote(service.ID)} on node {node.Node.Node}", reject)).ToArray();
        return services.Length == node.Services.Count ? node : node with { Services = services };
    }

    /// <summary>A key's value, or null (absent) when the key is a <c>default-app</c> whose value is no app name.</summary>
    public static string? KeyValue(string path, string? value, Action<string> reject)
    {
        if (value is null || !IsDefaultAppKey(path))
        {
            return value;
        }

        return Keep(value.Length == 0 ? null : CatalogValueRules.Name("default app", value), $"key {path}", reject) ? value : null;
    }

    /// <summary>The first reason <paramref name="instance"/> must not reach a template, or null.</summary>
    public static string? InstanceProblem(TemplateServiceInstance instance) =>
        CatalogValueRules.Name("service name", instance.Name)
        ?? CatalogValueRules.Name("ID", instance.ID)
        ?? CatalogValueRules.Name("node name", instance.Node)
        ?? CatalogValueRules.Address("address", instance.Address)
        ?? CatalogValueRules.Address("node address", instance.NodeAddress)
        ?? CatalogValueRules.Port(instance.Port)
        ?? CatalogValueRules.TagsAndMeta(instance.Tags, instance.ServiceMeta);

    private static string? NodeProblem(TemplateConsulNode node) =>
        CatalogValueRules.Name("node name", node.Node)
        ?? CatalogValueRules.Address("node address", node.Address)
        ?? node.TaggedAddresses.Values.Select(address => CatalogValueRules.Address("tagged address", address)).FirstOrDefault(problem => problem is not null)
        ?? node.Meta.Select(pair => CatalogValueRules.Meta(pair.Key, pair.Value)).FirstOrDefault(problem => problem is not null);

    private static string? NodeServiceProblem(TemplateCatalogNodeService service) =>
        CatalogValueRules.Name("service name", service.Service)
        ?? CatalogValueRules.Name("ID", service.ID)
        ?? (service.Address.Length == 0 ? null : CatalogValueRules.Address("address", service.Address))
        ?? CatalogValueRules.Port(service.Port)
        ?? CatalogValueRules.TagsAndMeta(service.Tags, service.Meta);

    private static bool IsDefaultAppKey(string path) =>
        path == DefaultAppKey || path.EndsWith("/" + DefaultAppKey, StringComparison.Ordinal);

    private static bool Keep(string? problem, string what, Action<string> reject)
    {
        if (problem is null)
        {
            return true;
        }

        reject($"{what}: {problem}");
        return false;
    }
}
