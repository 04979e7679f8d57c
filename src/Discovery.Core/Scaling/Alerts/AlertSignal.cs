namespace Discovery.Core.Scaling.Alerts;

/// <summary>The signals an alert rule can watch: what the agents already measure.</summary>
internal enum AlertSignal
{
    /// <summary>Highest CPU % (of one core) of the app's instances, from the node agents' /proc gauges.</summary>
    InstanceCpu,

    /// <summary>Highest resident memory (MiB) of the app's instances, from the node agents' /proc gauges.</summary>
    InstanceRss,

    /// <summary>Requests per minute at the load balancers (the scaler's stub_status source).</summary>
    RequestRate,

    /// <summary>Instances of the app in a crash loop (their "alive" check is critical with the crash-loop reason).</summary>
    CrashLoops,

    /// <summary>1 while no scaler holds the app's leader lock.</summary>
    NoLeader,

    /// <summary>Load balancers (service <c>lb</c>) whose check is not passing: the renderer stopped or is failing.</summary>
    RendererFailing,
}
