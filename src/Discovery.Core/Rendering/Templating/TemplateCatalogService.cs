namespace Discovery.Core.Rendering.Templating;

/// <summary>One entry of <c>services</c>: a service name and the union of its instances' tags.</summary>
internal sealed record TemplateCatalogService(string Name, IReadOnlyList<string> Tags);
