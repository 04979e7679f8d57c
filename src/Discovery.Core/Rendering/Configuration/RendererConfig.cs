using Discovery.Core.Configuration;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// The built-in renderer's configuration (<c>agent render --config</c>), from Discovery's YAML or
/// consul-template's HCL, validated as a whole by <see cref="RendererConfigLoader"/>.
/// </summary>
/// <param name="Name">This load balancer's name: service ID <c>lb-&lt;name&gt;</c> and KV <c>&lt;prefix&gt;/lb/&lt;name&gt;/routed</c>; null (an HCL config) = not a Discovery load balancer: nothing is published.</param>
/// <param name="Consul">How to reach Consul.</param>
/// <param name="Retry">Backoff of failed Consul reads.</param>
/// <param name="Prefix">KV prefix, normally <c>discovery</c>.</param>
/// <param name="Wait">Quiescence: quiet time after a change, and the longest a burst may delay a render.</param>
/// <param name="Templates">What to render, check, write and run.</param>
/// <param name="Register">How to register this load balancer as service <c>lb</c>; null = do not register.</param>
/// <param name="OutageSettle">How long after a Consul outage, restart or leader election an answer that loses entries is distrusted (see OutageGuard).</param>
/// <param name="Monitoring">Where <c>/health</c> and <c>/metrics</c> are served; null = not served (always for an HCL config).</param>
/// <param name="LogLevel">consul-template's log_level, when the config gives one; the command line wins.</param>
public sealed record RendererConfig(
    string? Name,
    ConsulConnectionConfig Consul,
    ConsulRetryConfig Retry,
    string Prefix,
    QuiescenceWait Wait,
    IReadOnlyList<TemplateConfig> Templates,
    LoadBalancerRegistrationConfig? Register,
    TimeSpan OutageSettle,
    Microsoft.Extensions.Logging.LogLevel? LogLevel,
    Observability.MonitoringConfig? Monitoring = null);
