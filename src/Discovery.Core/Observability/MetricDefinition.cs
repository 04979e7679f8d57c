namespace Discovery.Core.Observability;

/// <summary>One registered metric family, as `agent metrics list` and the README print it.</summary>
/// <param name="Daemon">Who serves it: "all", "node", "scaler", "renderer".</param>
internal sealed record MetricDefinition(string Name, string Type, string Help, IReadOnlyList<string> Labels, string Daemon);
