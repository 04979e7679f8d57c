namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// The outcome of one render. <see cref="Output"/> is null whenever data was missing, so an
/// incomplete render cannot be written by mistake.
/// </summary>
/// <param name="Output">The rendered text, or null when <see cref="IsComplete"/> is false.</param>
/// <param name="Dependencies">Every dependency the render touched, in first-use order, without duplicates.</param>
/// <param name="Missing">The dependencies whose data was not loaded yet.</param>
internal sealed record TemplateRenderResult(
    string? Output,
    IReadOnlyList<TemplateDependency> Dependencies,
    IReadOnlyList<TemplateDependency> Missing)
{
    public bool IsComplete => Missing.Count == 0;
}
