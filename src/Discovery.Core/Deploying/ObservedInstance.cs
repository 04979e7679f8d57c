namespace Discovery.Core.Deploying;

/// <summary>One registered instance as the deploy sees it: its version, and whether it passes every check and every load balancer routes it.</summary>
/// <param name="Requests">Requests it answered since it started (its <c>GET /stats</c>); null when not read or not offered.</param>
/// <param name="ServerErrors">Of those, answered with a 5xx status.</param>
internal sealed record ObservedInstance(string Id, string Node, string Version, bool Ready, long? Requests = null, long? ServerErrors = null);
