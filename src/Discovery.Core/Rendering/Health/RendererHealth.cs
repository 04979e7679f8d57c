namespace Discovery.Core.Rendering.Health;

/// <summary>
/// Keeps each template's last success, change, error and missing data as the render loop reports
/// them; thread-safe, read as a <see cref="RendererStatus"/> snapshot.
/// </summary>
public sealed class RendererHealth
{
    private readonly Lock _gate = new();
    private readonly TemplateHealth[] _templates;
    private bool _consulReachable = true;
    private long _heldAnswers;
    private long _rejectedEntries;

    public RendererHealth(IEnumerable<(string Source, string Destination)> templates) =>
        _templates = [.. templates.Select(template => new TemplateHealth(template.Source, template.Destination, null, null, null, []))];

    public void Succeeded(int template, bool changed, DateTimeOffset at) => Update(template, current => current with
    {
        LastSuccessAt = at,
        LastChangeAt = changed ? at : current.LastChangeAt,
        LastError = null,
        Missing = [],
    });

    public void Failed(int template, string error) => Update(template, current => current with { LastError = error, Missing = [] });

    public void Waiting(int template, IReadOnlyList<string> missing) => Update(template, current => current with { Missing = missing });

    public void Consul(bool reachable, long heldAnswers, long rejectedEntries)
    {
        lock (_gate)
        {
            (_consulReachable, _heldAnswers, _rejectedEntries) = (reachable, heldAnswers, rejectedEntries);
        }
    }

    public RendererStatus Snapshot(DateTimeOffset at)
    {
        lock (_gate)
        {
            return new RendererStatus(at, [.. _templates], _consulReachable, _heldAnswers, _rejectedEntries);
        }
    }

    private void Update(int template, Func<TemplateHealth, TemplateHealth> change)
    {
        lock (_gate)
        {
            _templates[template] = change(_templates[template]);
        }
    }
}
