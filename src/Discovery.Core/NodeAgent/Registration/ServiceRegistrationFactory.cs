using System.Globalization;
using Discovery.Consul.Agent;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.NodeAgent.Registration;

/// <summary>
/// The Consul objects of the contract in docs/contract.md: one service per instance with an HTTP
/// check and a TTL "process alive" check, and one <c>discovery-agent</c> service per node.
/// Pure, so the exact shape is table-tested.
/// </summary>
public static class ServiceRegistrationFactory
{
    public const string ManagedByKey = "managed-by";
    public const string ManagedByValue = "discovery";
    public const string NodeKey = "node";
    public const string InstanceKey = "instance";
    public const string VersionKey = "version";
    public const string AppsKey = "apps";
    public const string StartedKey = "started";
    public const string DiscoveryTag = "discovery";
    public const string AgentServiceName = "discovery-agent";

    public static string HttpCheckId(string instanceId) => $"{instanceId}:http";

    public static string AliveCheckId(string instanceId) => $"{instanceId}:alive";

    public static string AgentServiceId(string node) => $"{AgentServiceName}-{node}";

    public static string AgentCheckId(string node) => $"{AgentServiceId(node)}:alive";

    /// <summary>The instance's registration; the TTL check starts in <paramref name="alive"/>'s state so a re-registration does not flap it.</summary>
    public static ServiceRegistration ForInstance(InstanceSpec spec, AliveStatus alive, TimeSpan ttl, TimeSpan deregisterCriticalAfter, bool healthyNow = false, DateTimeOffset? startedAt = null)
    {
        var health = spec.App.Health;
        var port = spec.Port.ToString(CultureInfo.InvariantCulture);
        var host = spec.Address.Contains(':', StringComparison.Ordinal) ? $"[{spec.Address}]" : spec.Address;
        return new ServiceRegistration
        {
            ID = spec.InstanceId,
            Name = spec.App.Name,
            Tags = [DiscoveryTag, $"v{spec.App.Version}"],
            Address = spec.Address,
            Port = spec.Port,
            Meta = new Dictionary<string, string>
            {
                [NodeKey] = spec.NodeName,
                [InstanceKey] = spec.InstanceId,
                [VersionKey] = spec.App.Version,
                [ManagedByKey] = ManagedByValue,
            }.WithStarted(startedAt),
            Checks =
            [
                new CheckDefinition
                {
                    CheckId = HttpCheckId(spec.InstanceId),
                    Name = $"HTTP {health.Path} on port {port}",
                    Http = $"http://{host}:{port}{health.Path}",
                    Interval = health.Interval,
                    Timeout = health.Timeout,
                    SuccessBeforePassing = health.SuccessBeforePassing,
                    FailuresBeforeCritical = health.FailuresBeforeCritical,
                    DeregisterCriticalServiceAfter = deregisterCriticalAfter,
                    // Only when the agent itself just got a 200 from the health path; otherwise Consul's default (critical until checked).
                    Status = healthyNow ? Consul.Agent.CheckStatus.Passing : null,
                },
                new CheckDefinition
                {
                    CheckId = AliveCheckId(spec.InstanceId),
                    Name = "process alive",
                    Ttl = ttl,
                    Status = alive.Status,
                    Notes = alive.Output,
                    DeregisterCriticalServiceAfter = deregisterCriticalAfter,
                },
            ],
        };
    }

    /// <summary>
    /// The node agent's own service: a TTL check proves the agent is alive; meta <c>apps</c> lists
    /// the apps this node offers, so the scaler only places an app on nodes that can run it.
    /// </summary>
    public static ServiceRegistration ForAgent(string node, string address, IEnumerable<string> apps, TimeSpan ttl, string? metricsAddress = null) => new()
    {
        ID = AgentServiceId(node),
        Name = AgentServiceName,
        // Not the `discovery` tag: that tag marks app instances, and templates route every
        // service carrying it (the agent has no port to route to).
        Tags = [AgentServiceName],
        Address = address,
        Meta = new Dictionary<string, string>
        {
            [NodeKey] = node,
            [ManagedByKey] = ManagedByValue,
            [AppsKey] = string.Join(',', apps.Order(StringComparer.Ordinal)),
            // Where /metrics is served (node agents with a monitoring section): Prometheus and the
            // alerting leader find the per-instance CPU/RSS gauges there.
            [Observability.MonitoringConfig.MetaKey] = metricsAddress ?? "",
        },
        Checks =
        [
            new CheckDefinition { CheckId = AgentCheckId(node), Name = "node agent alive", Ttl = ttl, Status = Consul.Agent.CheckStatus.Passing },
        ],
    };

    /// <summary>True for a service this node's agent registered (instances and the agent itself).</summary>
    public static bool IsOurs(AgentService service, string node) =>
        service.Meta is { } meta
        && meta.TryGetValue(ManagedByKey, out var managedBy) && managedBy == ManagedByValue
        && meta.TryGetValue(NodeKey, out var owner) && owner == node;

    private static Dictionary<string, string> WithStarted(this Dictionary<string, string> meta, DateTimeOffset? startedAt)
    {
        if (startedAt is { } started)
        {
            meta[StartedKey] = started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }

        return meta;
    }
}
