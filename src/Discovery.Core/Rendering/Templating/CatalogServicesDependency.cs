namespace Discovery.Core.Rendering.Templating;

/// <summary><c>services</c>: <c>/v1/catalog/services</c>. Value: an <see cref="IReadOnlyList{T}"/> of <see cref="TemplateCatalogService"/>.</summary>
internal sealed record CatalogServicesDependency : TemplateDependency
{
    public static CatalogServicesDependency Instance { get; } = new();

    public override string ToString() => "catalog.services";
}
