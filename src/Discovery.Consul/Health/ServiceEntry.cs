using Discovery.Consul.Agent;
using Discovery.Consul.Catalog;

namespace Discovery.Consul.Health;

/// <summary>A service instance with its node and all checks that decide its health (GET /v1/health/service/:name).</summary>
public sealed record ServiceEntry
{
    /// <summary>The node the instance runs on.</summary>
    public Node Node { get; init; } = new();

    /// <summary>The instance.</summary>
    public AgentService Service { get; init; } = new();

    /// <summary>Node and service checks.</summary>
    public IReadOnlyList<HealthCheck> Checks { get; init; } = [];

    /// <summary>The worst state among the checks (Consul's own aggregation: critical beats warning beats passing).</summary>
    public string AggregatedStatus =>
        Checks.Count == 0 ? CheckStatus.Passing : Checks.MaxBy(check => CheckStatus.Severity(check.Status))!.Status;

    /// <summary>The instance address, falling back to the node's as Consul clients do.</summary>
    public string EffectiveAddress => string.IsNullOrEmpty(Service.Address) ? Node.Address : Service.Address;
}
