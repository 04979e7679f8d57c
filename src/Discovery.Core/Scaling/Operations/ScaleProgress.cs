namespace Discovery.Core.Scaling.Operations;

/// <summary>Where a <c>agent scale --wait</c> stands: instances passing in Consul and routed by every load balancer.</summary>
/// <param name="LoadBalancers">Load balancers that publish a routed list; 0 means routing is not checked.</param>
internal sealed record ScaleProgress(string App, int Target, int Passing, int Routed, int LoadBalancers, TimeSpan Elapsed)
{
    public bool Done => Passing == Target && Routed == Target;

    public override string ToString() =>
        $"{App}: {Passing}/{Target} passing, {Routed}/{Target} routed" +
        (LoadBalancers == 0 ? " (no load balancer publishes routes)" : $" by {LoadBalancers} load balancer(s)") +
        $" after {Elapsed.TotalSeconds:0}s";
}
