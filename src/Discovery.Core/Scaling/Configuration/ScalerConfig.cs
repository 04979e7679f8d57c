using Discovery.Core.Configuration;

namespace Discovery.Core.Scaling.Configuration;

/// <summary>
/// One <c>agent scaler</c> process: who it is, how it reaches Consul, and the apps it scales.
/// Load with <see cref="ScalerConfigLoader"/>; see <c>scaler.example.yaml</c>.
/// </summary>
/// <param name="Node">Name of this scaler, recorded as the leader in decision history.</param>
/// <param name="Prefix">KV prefix of every Discovery key. Default "discovery".</param>
/// <param name="Monitoring">Where <c>/health</c> and <c>/metrics</c> are served; null = not served.</param>
/// <param name="Alerts">Threshold rules the leader evaluates (<c>alerts:</c>).</param>
internal sealed record ScalerConfig(
    string Node,
    ConsulConnectionConfig Consul,
    string Prefix,
    ScalerMetricsConfig Metrics,
    ScalerLockConfig Lock,
    IReadOnlyList<ScalerAppConfig> Apps,
    Observability.MonitoringConfig? Monitoring = null,
    IReadOnlyList<Alerts.AlertRule>? Alerts = null);
