using Discovery.Core.NodeAgent.Registration;
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

    public bool TryGet(TemplateDependency dependency, out object? value) => _values.TryGetValue(dependency, out value);

    /// <summary>
    /// IDs of the instances a render put into nginx: those of every passing-only service dependency
    /// of <paramref name="dependencies"/> (the rendered upstreams), sorted and without duplicates.
    /// </summary>
    public IReadOnlyList<string> RoutedInstanceIds(IEnumerable<TemplateDependency> dependencies)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dependency in dependencies)
        {
            if (dependency is ServiceDependency { Query.PassingOnly: true } service && TryGet(service, out var value)
                && value is IReadOnlyList<TemplateServiceInstance> instances)
            {
                foreach (var instance in instances)
                {
                    // Only app instances a node agent can have registered (issue 12): not the
                    // discovery-agent services peers.ctmpl reads to check that, nor forged ones it leaves out.
                    if (service.Query.Accepts(instance.Status) && (service.Query.Tag is null || instance.Tags.Contains(service.Query.Tag))
                        && instance.Tags.Contains(ServiceRegistrationFactory.DiscoveryTag) && UntrustedAnswers.BelievabilityProblem(instance) is null)
                    {
                        ids.Add(instance.ID);
                    }
                }
            }
        }

        return [.. ids];
    }
}
