namespace Discovery.Core.Scaling.Metrics;

/// <summary>Names that tie a policy's <c>metric</c> to the source that produces it.</summary>
internal static class MetricNames
{
    /// <summary>Requests per minute summed over every load balancer in front of the app.</summary>
    public const string RequestsPerMinute = "requestsPerMinute";

    /// <summary>CPU % (of one core) summed over the app's instances (per instance = the average), from the node agents' /proc gauges.</summary>
    public const string InstanceCpuPercent = "instanceCpuPercent";

    /// <summary>Resident memory in MiB summed over the app's instances, from the node agents' /proc gauges.</summary>
    public const string InstanceRssMiB = "instanceRssMiB";
}
