namespace Discovery.Core.Scaling.Metrics;

/// <summary>Names that tie a policy's <c>metric</c> to the source that produces it.</summary>
internal static class MetricNames
{
    /// <summary>Requests per minute summed over every load balancer in front of the app.</summary>
    public const string RequestsPerMinute = "requestsPerMinute";
}
