using Discovery.Consul.Catalog;
using Discovery.Consul.Health;
using Discovery.Consul.KV;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>Turns Consul's answers into the values the template engine reads (see each dependency record).</summary>
internal static class ConsulAnswers
{
    public static TemplateServiceInstance ToInstance(ServiceEntry entry) => new(
        entry.Node.Name,
        entry.Node.Address,
        entry.Service.ID,
        entry.Service.Service,
        entry.EffectiveAddress,
        entry.Service.Port,
        entry.Service.Tags ?? [],
        entry.Service.Meta ?? new Dictionary<string, string>(),
        entry.AggregatedStatus);

    public static TemplateKeyPair ToKeyPair(KVPair pair) => new(
        pair.Key,
        "",
        pair.ValueAsString(),
        (long)pair.CreateIndex,
        (long)pair.ModifyIndex,
        (long)pair.LockIndex,
        (long)pair.Flags,
        pair.Session ?? "");

    public static TemplateConsulNode ToNode(Node node) => new(
        node.ID,
        node.Name,
        node.Address,
        node.Datacenter,
        node.TaggedAddresses ?? new Dictionary<string, string>(),
        node.Meta ?? new Dictionary<string, string>());

    /// <summary>The node with its services, or null when Consul does not know the node.</summary>
    public static TemplateCatalogNode? ToCatalogNode(CatalogNode? node) => node is null
        ? null
        : new TemplateCatalogNode(
            ToNode(node.Node),
            (node.Services ?? new Dictionary<string, Consul.Agent.AgentService>()).Values
                .Select(service => new TemplateCatalogNodeService(
                    service.ID,
                    service.Service,
                    service.Tags ?? [],
                    service.Meta ?? new Dictionary<string, string>(),
                    service.Port,
                    service.Address,
                    service.EnableTagOverride))
                .ToArray());

    /// <summary>
    /// Whether <paramref name="next"/> lacks something <paramref name="current"/> has: an instance,
    /// service, key, node or datacenter (by ID, name or path), a key's value, a node or one of its
    /// services. What the <see cref="OutageGuard"/> distrusts right after a Consul disturbance.
    /// </summary>
    public static bool LosesEntries(object? current, object? next)
    {
        var before = Entries(current);
        var after = Entries(next);
        return before.Any(entry => !after.Contains(entry));
    }

    private static HashSet<string> Entries(object? value) => value switch
    {
        null => [],
        string => ["value"],
        IEnumerable<TemplateServiceInstance> instances => instances.Select(instance => instance.ID).ToHashSet(StringComparer.Ordinal),
        IEnumerable<TemplateCatalogService> services => services.Select(service => service.Name).ToHashSet(StringComparer.Ordinal),
        IEnumerable<TemplateKeyPair> pairs => pairs.Select(pair => pair.Path).ToHashSet(StringComparer.Ordinal),
        IEnumerable<TemplateConsulNode> nodes => nodes.Select(node => node.Node).ToHashSet(StringComparer.Ordinal),
        TemplateCatalogNode node => [.. node.Services.Select(service => "service:" + service.ID), "node"],
        IEnumerable<string> names => names.ToHashSet(StringComparer.Ordinal),
        _ => ["value"],
    };
}
