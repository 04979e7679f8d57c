using System.Text;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// State of one render: the output, variable slots, the data source and every dependency touched.
/// Query results are cached per render so a query used in a loop is read, filtered and sorted once
/// and every use sees the same snapshot.
/// </summary>
internal sealed class RenderContext(ITemplateDataSource data, string fileName, int variableCount)
{
    private readonly List<TemplateDependency> _used = [];
    private readonly HashSet<TemplateDependency> _usedSet = [];
    private readonly List<TemplateDependency> _missing = [];
    private readonly Dictionary<ServiceQuery, IReadOnlyList<TemplateServiceInstance>> _services = [];

    public ITemplateDataSource Data { get; } = data;

    public string FileName { get; } = fileName;

    public StringBuilder Output { get; } = new();

    public object?[] Variables { get; } = new object?[variableCount];

    public IReadOnlyList<TemplateDependency> Used => _used;

    public IReadOnlyList<TemplateDependency> Missing => _missing;

    public IReadOnlyList<TemplateCatalogService>? CatalogServices { get; set; }

    public Dictionary<string, string?> Keys { get; } = new(StringComparer.Ordinal);

    public Dictionary<ServiceQuery, IReadOnlyList<TemplateServiceInstance>> Services => _services;

    /// <summary>Marks an already recorded dependency as not (yet) satisfied.</summary>
    public void MarkMissing(TemplateDependency dependency)
    {
        Record(dependency, loaded: false);
        if (!_missing.Contains(dependency))
        {
            _missing.Add(dependency);
        }
    }

    /// <summary>Records that the render read <paramref name="dependency"/>, and whether its data was there.</summary>
    public void Record(TemplateDependency dependency, bool loaded)
    {
        if (_usedSet.Add(dependency))
        {
            _used.Add(dependency);
            if (!loaded)
            {
                _missing.Add(dependency);
            }
        }
    }
}
