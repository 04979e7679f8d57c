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
    string Status);
