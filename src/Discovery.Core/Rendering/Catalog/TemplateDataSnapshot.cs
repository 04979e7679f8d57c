using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Rendering.Catalog;

/// <summary>
/// A frozen copy of the watched data, so one render (and the routed-instance list published after
/// it) sees one consistent catalog even while watches keep updating.
/// </summary>
internal sealed class TemplateDataSnapshot : ITemplateDataSource
{
    private readonly IReadOnlyDictionary<TemplateDependency, object?> _values;

    public TemplateDataSnapshot(IReadOnlyDictionary<TemplateDependency, object?> values) => _values = values;

    public bool TryGetService(ServiceQuery query, out IReadOnlyList<TemplateServiceInstance> instances)
    {
        if (_values.TryGetValue(new ServiceDependency(query), out var value) && value is IReadOnlyList<TemplateServiceInstance> loaded)
        {
            instances = loaded;
            return true;
        }

        instances = [];
        return false;
    }

    public bool TryGetServices(out IReadOnlyList<TemplateCatalogService> services)
    {
        if (_values.TryGetValue(CatalogServicesDependency.Instance, out var value) && value is IReadOnlyList<TemplateCatalogService> loaded)
        {
            services = loaded;
            return true;
        }

        services = [];
        return false;
    }

    public bool TryGetKey(string path, out string? value)
    {
        if (_values.TryGetValue(new KeyDependency(path), out var loaded))
        {
            value = loaded is KeyValue key ? key.Value : null;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// IDs of the instances a render put into nginx: those of every passing-only service dependency
    /// of <paramref name="dependencies"/> (the rendered upstreams), sorted and without duplicates.
    /// </summary>
    public IReadOnlyList<string> RoutedInstanceIds(IEnumerable<TemplateDependency> dependencies)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            if (dependency is ServiceDependency { Query.PassingOnly: true } service && TryGetService(service.Query, out var instances))
            {
                foreach (var instance in instances)
                {
                    if (service.Query.Accepts(instance.Status) && (service.Query.Tag is null || instance.Tags.Contains(service.Query.Tag)))
                    {
                        ids.Add(instance.ID);
                    }
                }
            }
        }

        return [.. ids];
    }

    /// <summary>A loaded key; null <see cref="Value"/> = the key does not exist (distinct from "not loaded yet").</summary>
    internal sealed record KeyValue(string? Value);
}
