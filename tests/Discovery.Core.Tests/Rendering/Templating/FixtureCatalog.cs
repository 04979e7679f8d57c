using System.Text.Json;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Templating;

/// <summary>
/// An in-memory catalog for engine tests. It answers like a careless data source would: every
/// instance of the service, all statuses and tags, in file order — so the engine's own filtering
/// and sorting are what the golden files check. Data can be marked "not loaded yet".
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

    /// <summary>Service names whose health query is not answered yet.</summary>
    public HashSet<string> ServicesNotLoaded { get; } = new(StringComparer.Ordinal);

    public bool CatalogNotLoaded { get; set; }

    public HashSet<string> KeysNotLoaded { get; } = new(StringComparer.Ordinal);

    /// <summary>Every query asked, in order (to check the engine asks each once per render).</summary>
    public List<ServiceQuery> ServiceQueries { get; } = [];

    public static FixtureCatalog Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var instances = document.RootElement.GetProperty("instances").EnumerateArray().Select(entry => new TemplateServiceInstance(
            entry.GetProperty("Node").GetString()!,
            entry.GetProperty("NodeAddress").GetString()!,
            entry.GetProperty("ID").GetString()!,
            entry.GetProperty("Name").GetString()!,
            entry.GetProperty("Address").GetString()!,
            entry.GetProperty("Port").GetInt32(),
            entry.GetProperty("Tags").EnumerateArray().Select(tag => tag.GetString()!).ToArray(),
            entry.GetProperty("ServiceMeta").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            entry.GetProperty("Status").GetString()!));
        var keys = document.RootElement.TryGetProperty("keys", out var keyObject)
            ? keyObject.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : [];
        return new FixtureCatalog(instances, keys);
    }

    public bool TryGetService(ServiceQuery query, out IReadOnlyList<TemplateServiceInstance> instances)
    {
        ServiceQueries.Add(query);
        if (ServicesNotLoaded.Contains(query.Name))
        {
            instances = [];
            return false;
        }

        instances = _instances.Where(instance => instance.Name == query.Name).ToArray();
        return true;
    }

    public bool TryGetServices(out IReadOnlyList<TemplateCatalogService> services)
    {
        services = CatalogNotLoaded
            ? []
            : _instances
                .GroupBy(instance => instance.Name, StringComparer.Ordinal)
                .Reverse()
                .Select(group => new TemplateCatalogService(group.Key, group.SelectMany(instance => instance.Tags).Distinct().Reverse().ToArray()))
                .ToArray();
        return !CatalogNotLoaded;
    }

    public bool TryGetKey(string path, out string? value)
    {
        if (KeysNotLoaded.Contains(path))
        {
            value = null;
            return false;
        }

        value = _keys.TryGetValue(path, out var found) ? found : null;
        return true;
    }
}
