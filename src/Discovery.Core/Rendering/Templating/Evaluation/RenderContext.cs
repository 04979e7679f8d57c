using System.Text;

namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// State of one render: the output, the running template's variables and root data, the data
/// source and every dependency touched. Each Consul read is cached per render so a query used in
/// a loop is read, filtered and sorted once and every use sees the same snapshot.
/// </summary>
internal sealed class RenderContext(ITemplateDataSource data, RenderEnvironment environment, string fileName, int variableCount)
{
    private readonly List<TemplateDependency> _used = [];
    private readonly HashSet<TemplateDependency> _usedSet = [];
    private readonly List<TemplateDependency> _missing = [];
    private readonly Dictionary<(TemplateDependency, string), (bool Loaded, object? Value)> _reads = [];

    public ITemplateDataSource Data { get; } = data;

    public RenderEnvironment Environment { get; } = environment;

    public string FileName { get; } = fileName;

    public StringBuilder Output { get; } = new();

    /// <summary>The running template's variable slots (each {{template}} call swaps in its own).</summary>
    public object?[] Variables { get; set; } = new object?[variableCount];

    /// <summary><c>$</c> of the running template: nil for the main one.</summary>
    public object? Root { get; set; }

    /// <summary>Nesting of {{template}} calls.</summary>
    public int Depth { get; set; }

    public IReadOnlyList<TemplateDependency> Used => _used;

    public IReadOnlyList<TemplateDependency> Missing => _missing;

    /// <summary>
    /// Reads a dependency once per render and <paramref name="view"/> (ls and tree view one answer
    /// differently), shaping the raw answer with <paramref name="shape"/> (filter, sort). Returns
    /// <paramref name="fallback"/> while the dependency has no data; the render is then incomplete.
    /// </summary>
    public T Read<T>(TemplateDependency dependency, string view, Func<object?, T> shape, T fallback) =>
        TryRead(dependency, view, shape, out var value) ? value : fallback;

    /// <summary><see cref="Read{T}"/> that also says whether the dependency had data.</summary>
    public bool TryRead<T>(TemplateDependency dependency, string view, Func<object?, T> shape, out T value)
    {
        if (!_reads.TryGetValue((dependency, view), out var read))
        {
            var loaded = Data.TryGet(dependency, out var raw);
            Record(dependency, loaded);
            read = (loaded, loaded ? shape(raw) : default);
            _reads[(dependency, view)] = read;
        }

        value = (T)read.Value!;
        return read.Loaded;
    }

    /// <summary>Marks a dependency as not (yet) satisfied even though it answered (e.g. <c>key</c> of an absent key blocks).</summary>
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
