using System.Globalization;
using System.Net;

namespace Discovery.Core.Lab;

/// <summary>
/// Who lives where (pure): servers at .11–.13, the load balancer at .5, app nodes at .21, .22, …;
/// scalers on the first <c>Scalers</c> app nodes; with Postgres, its members on the first two.
/// Same layout as the VM lab's host names.
/// </summary>
internal sealed record LabTopology(IReadOnlyList<LabHost> Servers, IReadOnlyList<LabHost> AppNodes, LabHost LoadBalancer)
{
    public const int ServerCount = 3;

    public IEnumerable<LabHost> All => [.. Servers, LoadBalancer, .. AppNodes];

    public IEnumerable<LabHost> ClientAgents => [LoadBalancer, .. AppNodes];

    public Uri UiAddress => new(Servers[0].HttpAddress, "ui/");

    public Uri AppAddress => new($"http://{LoadBalancer.Address}:{LabHost.LbPort}/");

    public Uri StubStatusAddress => new($"http://{LoadBalancer.Address}:{LabHost.LbStatusPort}/nginx_status");

    public static LabTopology Create(string addressPrefix, int nodes, int scalers, bool postgres = false)
    {
        IPAddress At(int last) => IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"{addressPrefix}.{last}"));
        var servers = Enumerable.Range(1, ServerCount)
            .Select(i => new LabHost($"consul-server-{i}", LabRole.ConsulServer, At(10 + i)))
            .ToList();
        var appNodes = Enumerable.Range(1, nodes)
            .Select(i => new LabHost($"node-{i}", LabRole.AppNode, At(20 + i), RunsScaler: i <= scalers, RunsPostgres: postgres && i <= LabPostgres.Members))
            .ToList();
        return new LabTopology(servers, appNodes, new LabHost("lb1", LabRole.LoadBalancer, At(5)));
    }
}
