using Discovery.Consul.Resilience;
using Discovery.Core.Configuration;

namespace Discovery.Core.NodeAgent.Hosting;

/// <summary>
/// Run-time knobs of a node agent that are not part of the node's config file: the CLI maps its
/// flags onto these (e.g. <c>--keep-instances</c> → <see cref="StopInstancesOnExit"/> = false).
/// The defaults suit production; tests shorten the intervals.
/// </summary>
/// <param name="KvPrefix">Root of the Discovery keys in Consul's KV store, without a trailing '/'.</param>
/// <param name="StopInstancesOnExit">
/// On a clean shutdown, drain and stop every instance (true, the default: an agent that is gone
/// cannot vouch for its instances). False leaves them running and registered for the next agent
/// run to adopt; their TTL checks turn critical until it does.
/// </param>
/// <param name="TtlPassInterval">How often the agent re-passes every TTL check; the TTL is three times this.</param>
/// <param name="AntiEntropyInterval">How often registrations are compared with what the local Consul agent holds.</param>
/// <param name="ReconcileInterval">Longest time between two convergence passes when nothing signals a change.</param>
/// <param name="UnroutedGrace">
/// When no load balancer publishes what it routes, how long to wait after the instance left the
/// passing set, so a balancer that follows the catalog has time to reload.
/// </param>
/// <param name="DeregisterCriticalAfter">Consul's safety net: it removes an instance critical this long, should the agent be gone for good.</param>
/// <param name="ConsulRetryOptions">Backoff of the registrar's Consul writes while Consul fails (until it answers again).</param>
public sealed record NodeAgentOptions(
    string KvPrefix = DiscoveryKeys.DefaultPrefix,
    bool StopInstancesOnExit = true,
    TimeSpan? TtlPassInterval = null,
    TimeSpan? AntiEntropyInterval = null,
    TimeSpan? ReconcileInterval = null,
    TimeSpan? UnroutedGrace = null,
    TimeSpan? DeregisterCriticalAfter = null,
    RetryOptions? ConsulRetryOptions = null)
{
    public static readonly NodeAgentOptions Default = new();

    public TimeSpan TtlPass => TtlPassInterval ?? TimeSpan.FromSeconds(10);

    public TimeSpan Ttl => TtlPass * 3;

    public TimeSpan AntiEntropy => AntiEntropyInterval ?? TimeSpan.FromSeconds(30);

    public TimeSpan Reconcile => ReconcileInterval ?? TimeSpan.FromSeconds(5);

    public TimeSpan Grace => UnroutedGrace ?? TimeSpan.FromSeconds(2);

    public TimeSpan DeregisterCritical => DeregisterCriticalAfter ?? TimeSpan.FromMinutes(10);

    /// <summary>250 ms doubling to 10 s, jittered, so many agents do not hammer a recovering Consul in step.</summary>
    public RetryOptions ConsulRetry => ConsulRetryOptions ?? new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(10) };

    public string AppKey(string app, string leaf) => $"{KvPrefix}/apps/{app}/{leaf}";

    public string PlacementKey(string app, string node) => AppKey(app, $"placement/{node}");

    public string LoadBalancerPrefix => $"{KvPrefix}/lb/";
}
