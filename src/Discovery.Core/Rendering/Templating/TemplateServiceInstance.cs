using Discovery.Core.Rendering.Templating.Evaluation;

namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// One healthy-or-not instance as <c>service</c> returns it (consul-template's HealthService).
/// The mapper from Consul fills <see cref="Address"/> with the node address when the service has
/// none, exactly like consul-template.
/// </summary>
/// <param name="Status">Aggregated check status: passing, warning, critical or maintenance.</param>
internal sealed record TemplateServiceInstance(
    string Node,
    string NodeAddress,
    string ID,
    string Name,
    string Address,
    int Port,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> ServiceMeta,
    string Status) : ITemplateStruct
{
    /// <summary>Not complete: consul-template's struct also has Checks, Weights, tagged addresses … which we do not carry.</summary>
    public static StructShape Shape { get; } = new StructShape("*dependency.HealthService", isComplete: false)
        .Field<TemplateServiceInstance>("Node", () => TemplateType.String, s => s.Node)
        .Field<TemplateServiceInstance>("NodeAddress", () => TemplateType.String, s => s.NodeAddress)
        .Field<TemplateServiceInstance>("ServiceMeta", () => TemplateType.StringMap, s => s.ServiceMeta)
        .Field<TemplateServiceInstance>("Address", () => TemplateType.String, s => s.Address)
        .Field<TemplateServiceInstance>("ID", () => TemplateType.String, s => s.ID)
        .Field<TemplateServiceInstance>("Name", () => TemplateType.String, s => s.Name)
        .Field<TemplateServiceInstance>("Tags", () => TemplateType.StringList, s => s.Tags)
        .Field<TemplateServiceInstance>("Status", () => TemplateType.String, s => s.Status)
        .Field<TemplateServiceInstance>("Port", () => TemplateType.Int, s => (long)s.Port);

    StructShape ITemplateStruct.Shape => Shape;
}
