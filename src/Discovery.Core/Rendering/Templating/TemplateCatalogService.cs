using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating;

/// <summary>One entry of <c>services</c>: a service name and the union of its instances' tags (consul-template's CatalogSnippet).</summary>
internal sealed record TemplateCatalogService(string Name, IReadOnlyList<string> Tags) : ITemplateStruct
{
    public static StructShape Shape { get; } = new StructShape("*dependency.CatalogSnippet", isComplete: true)
        .Field<TemplateCatalogService>("Name", () => TemplateType.String, s => s.Name)
        .Field<TemplateCatalogService>("Tags", () => TemplateType.StringList, s => s.Tags);

    StructShape ITemplateStruct.Shape => Shape;
}
