using Prometheus;

namespace Discovery.Core.Observability;

/// <summary>The scaler's metric families (per app; the alert families belong to the leader too).</summary>
internal static class ScalerMetrics
{
    private const string Scaler = "scaler";

    public static readonly Gauge Leader = MetricCatalog.Gauge(Scaler, "discovery_scaler_leader",
        "1 while this scaler holds the app's leader lock.", "app");

    public static readonly Gauge FencingToken = MetricCatalog.Gauge(Scaler, "discovery_scaler_fencing_token",
        "The lock's fencing token (LockIndex) of this scaler's current or last term.", "app");

    public static readonly Counter Decisions = MetricCatalog.Counter(Scaler, "discovery_scaler_decisions_total",
        "Evaluations the leader made, by kind (scale, nochange, hold): one per evaluation, whether or not it was written to history.", "app", "kind");

    public static readonly Gauge Desired = MetricCatalog.Gauge(Scaler, "discovery_scaler_desired_instances",
        "Desired instance count the leader last read or wrote.", "app");

    public static readonly Gauge MetricValue = MetricCatalog.Gauge(Scaler, "discovery_scaler_metric_value",
        "The reading the last evaluation used: requests/min at the load balancers, or instance CPU % / RSS MiB summed over the app's instances.", "app", "metric");

    public static readonly Gauge MetricAge = MetricCatalog.Gauge(Scaler, "discovery_scaler_metric_age_seconds",
        "Age of that reading when it was used.", "app", "metric");

    public static readonly Counter EvaluationErrors = MetricCatalog.Counter(Scaler, "discovery_scaler_evaluation_errors_total",
        "Evaluation rounds that failed (Consul error, fenced write rejected, bad data).", "app");

    public static readonly Gauge AlertsFiring = MetricCatalog.Gauge(Scaler, "discovery_alerts_firing",
        "1 while the alert rule fires (evaluated by the leader of the first app).", "rule");

    public static readonly Counter AlertNotifications = MetricCatalog.Counter(Scaler, "discovery_alert_notifications_total",
        "Alert events POSTed to webhooks, by outcome (sent, failed = gave up after retries, dropped = queue full).", "outcome");

    /// <summary>Defines the families: reading a field runs the static initializers (a method call alone need not).</summary>
    public static void Touch() => GC.KeepAlive(Leader);
}
