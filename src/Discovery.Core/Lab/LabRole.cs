namespace Discovery.Core.Lab;

/// <summary>What a lab host runs: a Consul server, an app node (client agent + node agent, maybe a scaler), or the load balancer.</summary>
internal enum LabRole
{
    ConsulServer,
    AppNode,
    LoadBalancer,
}
