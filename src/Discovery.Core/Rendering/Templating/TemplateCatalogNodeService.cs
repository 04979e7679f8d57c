using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating;

/// <summary>One service registered on a node, as <c>node</c>'s <c>.Services</c> lists it (consul-template's CatalogNodeService).</summary>
/// <param name="Address">The service's own address, empty when it uses the node's.</param>
internal sealed record TemplateCatalogNodeService(
    string ID,
    string Service,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Meta,
    int Port,
    string Address,
    bool EnableTagOverride) : ITemplateStruct
{
    public static StructShape Shape { get; } = new StructShape("*dependency.CatalogNodeService", isComplete: true)
        .Field<TemplateCatalogNodeService>("ID", () => TemplateType.String, s => s.ID)
        .Field<TemplateCatalogNodeService>("Service", () => TemplateType.String, s => s.Service)
        .Field<TemplateCatalogNodeService>("Tags", () => TemplateType.StringList, s => s.Tags)
        .Field<TemplateCatalogNodeService>("Meta", () => TemplateType.StringMap, s => s.Meta)
        .Field<TemplateCatalogNodeService>("Port", () => TemplateType.Int, s => (long)s.Port)
        .Field<TemplateCatalogNodeService>("Address", () => TemplateType.String, s => s.Address)
        .Field<TemplateCatalogNodeService>("EnableTagOverride", () => TemplateType.Bool, s => s.EnableTagOverride);

    StructShape ITemplateStruct.Shape => Shape;
}
