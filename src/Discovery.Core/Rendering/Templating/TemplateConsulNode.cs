using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating;

/// <summary>A Consul node (consul-template's Node): an entry of <c>nodes</c>, and <c>.Node</c> of <c>node</c>.</summary>
internal sealed record TemplateConsulNode(
    string ID,
    string Node,
    string Address,
    string Datacenter,
    IReadOnlyDictionary<string, string> TaggedAddresses,
    IReadOnlyDictionary<string, string> Meta) : ITemplateStruct
{
    public static StructShape Shape { get; } = new StructShape("*dependency.Node", isComplete: true)
        .Field<TemplateConsulNode>("ID", () => TemplateType.String, n => n.ID)
        .Field<TemplateConsulNode>("Node", () => TemplateType.String, n => n.Node)
        .Field<TemplateConsulNode>("Address", () => TemplateType.String, n => n.Address)
        .Field<TemplateConsulNode>("Datacenter", () => TemplateType.String, n => n.Datacenter)
        .Field<TemplateConsulNode>("TaggedAddresses", () => TemplateType.StringMap, n => n.TaggedAddresses)
        .Field<TemplateConsulNode>("Meta", () => TemplateType.StringMap, n => n.Meta);

    StructShape ITemplateStruct.Shape => Shape;
}
