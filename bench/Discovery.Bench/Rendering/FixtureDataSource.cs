using Discovery.Core.Rendering.Templating;

namespace Discovery.Bench.Rendering;

/// <summary>An in-memory catalog of <c>apps</c> apps sharing <c>instances</c> passing instances, for rendering at scale without Consul.</summary>
internal sealed class FixtureDataSource : ITemplateDataSource
{
    private readonly Dictionary<string, List<TemplateServiceInstance>> _instances = new(StringComparer.Ordinal);
    private readonly List<TemplateCatalogService> _services = [];

    public FixtureDataSource(int apps, int instances, int portBase)
    {
        for (var app = 0; app < apps; app++)
        {
            var name = $"app{app:D3}";
            _services.Add(new TemplateCatalogService(name, ["discovery"]));
            _instances[name] = [];
        }

        for (var i = 0; i < instances; i++)
        {
            var app = $"app{i % apps:D3}";
            var node = $"n{i % 50:D2}";
            var address = $"127.0.{(i / 250) % 256}.{(i % 250) + 1}";
            var port = portBase + (i % 1000);
            _instances[app].Add(new TemplateServiceInstance(
                node, address, $"{app}-{node}-{port}-{i}", app, address, port, ["discovery"],
                new Dictionary<string, string> { ["managed-by"] = "discovery" }, "passing"));
        }
    }

    public bool TryGet(TemplateDependency dependency, out object? value)
    {
        value = dependency switch
        {
            ServiceDependency service => _instances.TryGetValue(service.Query.Name, out var list) ? list : [],
            CatalogServicesDependency => _services,
            _ => null, // keys: absent
        };
        return true;
    }
}
