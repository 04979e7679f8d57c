namespace Discovery.Core.Rendering.Health;

/// <summary>The state of one template, as the renderer last saw it.</summary>
/// <param name="Source">The template file.</param>
/// <param name="Destination">What it renders to.</param>
/// <param name="LastSuccessAt">When its output was last rendered with complete data and is in place (unchanged, or validated, swapped and its command run).</param>
/// <param name="LastChangeAt">When its destination last changed.</param>
/// <param name="LastError">Why the last attempt failed (template error, check refused, command failed); null after a success.</param>
/// <param name="Missing">Dependencies without data yet, e.g. <c>kv.get(app/config)</c>: the template waits for them.</param>
public sealed record TemplateHealth(
    string Source,
    string Destination,
    DateTimeOffset? LastSuccessAt,
    DateTimeOffset? LastChangeAt,
    string? LastError,
    IReadOnlyList<string> Missing)
{
    /// <summary>Rendered at least once and not failing now.</summary>
    public bool IsHealthy => LastSuccessAt is not null && LastError is null;
}
