namespace Discovery.Core.Rendering.Templating;

/// <summary><c>nodes</c>: <c>/v1/catalog/nodes</c>. Value: an <see cref="IReadOnlyList{T}"/> of <see cref="TemplateConsulNode"/>.</summary>
internal sealed record CatalogNodesDependency : TemplateDependency
{
    public static CatalogNodesDependency Instance { get; } = new();

    public override string ToString() => "catalog.nodes";
}
