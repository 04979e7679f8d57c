namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>The HTTP check Consul runs against every instance (GET http://address:port + Path).</summary>
/// <param name="Path">Request path, starting with '/'. Default "/health".</param>
/// <param name="Interval">Default 1s, so a dead instance leaves rotation within about a second.</param>
/// <param name="Timeout">Default 500ms.</param>
/// <param name="FailuresBeforeCritical">Consecutive failures before critical. Default 1.</param>
/// <param name="SuccessBeforePassing">Consecutive successes before passing. Default 1.</param>
public sealed record HealthCheckConfig(
    string Path,
    TimeSpan Interval,
    TimeSpan Timeout,
    int FailuresBeforeCritical,
    int SuccessBeforePassing)
{
    public static readonly HealthCheckConfig Default = new("/health", TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(500), 1, 1);
}
