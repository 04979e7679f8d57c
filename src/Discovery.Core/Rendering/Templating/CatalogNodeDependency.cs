namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// <c>node</c>: <c>/v1/catalog/node/&lt;name&gt;</c>; an empty name means the node of the Consul
/// agent the renderer talks to (as consul-template). Value: a <see cref="TemplateCatalogNode"/>, or
/// null when no such node exists.
/// </summary>
internal sealed record CatalogNodeDependency(string Name) : TemplateDependency
{
    public override string ToString() => Name.Length == 0 ? "catalog.node" : $"catalog.node({Name})";
}
