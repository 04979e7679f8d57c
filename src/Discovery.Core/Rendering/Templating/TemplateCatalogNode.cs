using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// What <c>node</c> returns (consul-template's CatalogNode): the node and the services registered
/// on it. For an unknown node consul-template returns an empty one (<see cref="Node"/> null, no
/// services); so do we.
/// </summary>
internal sealed record TemplateCatalogNode(TemplateConsulNode? Node, IReadOnlyList<TemplateCatalogNodeService> Services) : ITemplateStruct
{
    /// <summary>Not complete: Go prints its pointer fields as addresses, which nothing can reproduce.</summary>
    public static StructShape Shape { get; } = new StructShape("*dependency.CatalogNode", isComplete: false)
        .Field<TemplateCatalogNode>("Node", () => TemplateType.ConsulNode, n => n.Node)
        .Field<TemplateCatalogNode>("Services", () => TemplateType.ListOf(TemplateType.CatalogNodeService), n => n.Services);

    StructShape ITemplateStruct.Shape => Shape;
}
