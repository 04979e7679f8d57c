using System.Globalization;
using System.Text.Json;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Time.Testing;

namespace Discovery.Core.Tests.Rendering.Templating;

/// <summary>
/// An in-memory catalog for engine tests, read from Golden/catalog.json (the same file the Go
/// golden generator reads). It answers like a careless data source would: every instance of the
/// service, all statuses and tags, in file order; KV lists unsorted — so the engine's own
/// filtering and sorting are what the golden files check. Data can be marked "not loaded yet".
/// </summary>
internal sealed class FixtureCatalog : ITemplateDataSource
{
    private readonly List<TemplateServiceInstance> _instances;
    private readonly Dictionary<string, string> _keys;

    public FixtureCatalog(IEnumerable<TemplateServiceInstance> instances, IReadOnlyDictionary<string, string>? keys = null)
    {
        _instances = [.. instances];
        _keys = keys is null ? [] : new Dictionary<string, string>(keys, StringComparer.Ordinal);
    }

    public IReadOnlyList<TemplateServiceInstance> AllInstances => _instances;

    public List<TemplateConsulNode> Nodes { get; } = [];

    public string LocalNode { get; set; } = "";

    public List<string> Datacenters { get; } = [];

    /// <summary>Clock and environment variables for timestamp and env, as the fixture fixes them.</summary>
    public RenderEnvironment Environment { get; private set; } = RenderEnvironment.System;

    /// <summary>Service names whose health query is not answered yet.</summary>
    public HashSet<string> ServicesNotLoaded { get; } = new(StringComparer.Ordinal);

    public bool CatalogNotLoaded { get; set; }

    public HashSet<string> KeysNotLoaded { get; } = new(StringComparer.Ordinal);

    /// <summary>Every query asked, in order (to check the engine asks each once per render).</summary>
    public List<ServiceQuery> ServiceQueries { get; } = [];

    public static FixtureCatalog Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var instances = root.GetProperty("instances").EnumerateArray().Select(entry => new TemplateServiceInstance(
            entry.GetProperty("Node").GetString()!,
            entry.GetProperty("NodeAddress").GetString()!,
            entry.GetProperty("ID").GetString()!,
            entry.GetProperty("Name").GetString()!,
            entry.GetProperty("Address").GetString()!,
            entry.GetProperty("Port").GetInt32(),
            entry.GetProperty("Tags").EnumerateArray().Select(tag => tag.GetString()!).ToArray(),
            StringMap(entry.GetProperty("ServiceMeta")),
            entry.GetProperty("Status").GetString()!));
        var keys = root.TryGetProperty("keys", out var keyObject) ? StringMap(keyObject) : new Dictionary<string, string>();
        var catalog = new FixtureCatalog(instances, keys);
        if (root.TryGetProperty("nodes", out var nodes))
        {
            catalog.Nodes.AddRange(nodes.EnumerateArray().Select(node => new TemplateConsulNode(
                node.GetProperty("ID").GetString()!,
                node.GetProperty("Node").GetString()!,
                node.GetProperty("Address").GetString()!,
                node.GetProperty("Datacenter").GetString()!,
                StringMap(node.GetProperty("TaggedAddresses")),
                StringMap(node.GetProperty("Meta")))));
        }

        catalog.LocalNode = root.TryGetProperty("localNode", out var local) ? local.GetString()! : "";
        if (root.TryGetProperty("datacenters", out var datacenters))
        {
            catalog.Datacenters.AddRange(datacenters.EnumerateArray().Select(dc => dc.GetString()!));
        }

        if (root.TryGetProperty("now", out var now))
        {
            var environment = root.TryGetProperty("env", out var env) ? StringMap(env) : new Dictionary<string, string>();
            var clock = new FakeTimeProvider(DateTimeOffset.Parse(now.GetString()!, CultureInfo.InvariantCulture));
            catalog.Environment = new RenderEnvironment(clock, name => environment.TryGetValue(name, out var value) ? value : null);
        }

        return catalog;
    }

    public bool TryGet(TemplateDependency dependency, out object? value)
    {
        switch (dependency)
        {
            case ServiceDependency service:
                ServiceQueries.Add(service.Query);
                value = _instances.Where(instance => instance.Name == service.Query.Name).ToArray();
                return !ServicesNotLoaded.Contains(service.Query.Name);
            case CatalogServicesDependency:
                value = _instances
                    .GroupBy(instance => instance.Name, StringComparer.Ordinal)
                    .Reverse()
                    .Select(group => new TemplateCatalogService(group.Key, group.SelectMany(instance => instance.Tags).Distinct().Reverse().ToArray()))
                    .ToArray();
                return !CatalogNotLoaded;
            case KeyDependency key:
                value = _keys.TryGetValue(key.Path, out var found) ? found : null;
                return !KeysNotLoaded.Contains(key.Path);
            case KeyListDependency list:
                value = _keys
                    .Where(pair => pair.Key.StartsWith(list.Prefix, StringComparison.Ordinal))
                    .Reverse()
                    .Select(pair => new TemplateKeyPair(pair.Key, "", pair.Value, 0, 0, 0, 0, ""))
                    .ToArray();
                return true;
            case CatalogNodeDependency node:
                var name = node.Name.Length == 0 ? LocalNode : node.Name;
                var match = Nodes.FirstOrDefault(candidate => candidate.Node == name);
                value = match is null
                    ? null
                    : new TemplateCatalogNode(match, _instances
                        .Where(instance => instance.Node == name)
                        .Reverse()
                        .Select(instance => new TemplateCatalogNodeService(instance.ID, instance.Name, instance.Tags, instance.ServiceMeta, instance.Port, instance.Address, false))
                        .ToArray());
                return true;
            case CatalogNodesDependency:
                value = Nodes.ToArray();
                return true;
            case DatacentersDependency:
                value = Datacenters.ToArray();
                return true;
            default:
                value = null;
                return false;
        }
    }

    private static Dictionary<string, string> StringMap(JsonElement element) =>
        element.EnumerateObject().ToDictionary(property => property.Name, property => property.Value.GetString()!, StringComparer.Ordinal);
}
