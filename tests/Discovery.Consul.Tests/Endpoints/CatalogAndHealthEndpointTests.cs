using Discovery.Consul.Agent;
using Discovery.Consul.Tests.Support;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Endpoints;

public sealed class CatalogAndHealthEndpointTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    private async Task RegisterAsync(string id, string name, string[] tags, string ttlStatus)
    {
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = id, Name = name, Tags = tags, Port = 7000, Address = "127.0.0.9",
            Meta = new Dictionary<string, string> { ["instance"] = id },
            Checks = [new CheckDefinition { CheckId = id + ":ttl", Name = "ttl", Ttl = TimeSpan.FromMinutes(1), Status = ttlStatus }],
        });
    }

    [Fact]
    public async Task Catalog_RegisteredServices_ListedWithTagsNodesAndInstances()
    {
        await RegisterAsync("api-1", "api", ["blue"], CheckStatus.Passing);
        await RegisterAsync("api-2", "api", ["green"], CheckStatus.Critical);

        var services = (await Client.Catalog.ServicesAsync()).Value;
        Assert.Contains("consul", services.Keys);
        Assert.Equal(["blue", "green"], services["api"].Order(StringComparer.Ordinal));

        var instances = (await Client.Catalog.ServiceAsync("api")).Value;
        Assert.Equal(["api-1", "api-2"], instances.Select(i => i.ServiceID).Order(StringComparer.Ordinal));
        Assert.All(instances, i => Assert.Equal("127.0.0.9", i.ServiceAddress));
        Assert.Equal(["api-1"], (await Client.Catalog.ServiceAsync("api", tag: "blue")).Value.Select(i => i.ServiceID));

        var node = Assert.Single((await Client.Catalog.NodesAsync()).Value);
        Assert.Equal(Server.NodeName, node.Name);
        Assert.Equal(Server.Address.ToString(), node.Address);

        var catalogNode = (await Client.Catalog.NodeAsync(Server.NodeName)).Value;
        Assert.NotNull(catalogNode);
        Assert.Contains("api-1", catalogNode.Services!.Keys);
        Assert.Null((await Client.Catalog.NodeAsync("no-such-node")).Value);
    }

    [Fact]
    public async Task HealthService_PassingOnlyAndTag_FilterInstances()
    {
        await RegisterAsync("db-1", "db", ["primary"], CheckStatus.Passing);
        await RegisterAsync("db-2", "db", ["replica"], CheckStatus.Critical);
        await RegisterAsync("db-3", "db", ["replica"], CheckStatus.Passing);

        var all = (await Client.Health.ServiceAsync("db")).Value;
        Assert.Equal(3, all.Count);
        Assert.Equal(CheckStatus.Critical, all.Single(e => e.Service.ID == "db-2").AggregatedStatus);
        Assert.Equal("127.0.0.9", all[0].EffectiveAddress);

        var passing = (await Client.Health.ServiceAsync("db", passingOnly: true)).Value;
        Assert.Equal(["db-1", "db-3"], passing.Select(e => e.Service.ID).Order(StringComparer.Ordinal));

        var passingReplicas = (await Client.Health.ServiceAsync("db", tag: "replica", passingOnly: true)).Value;
        Assert.Equal(["db-3"], passingReplicas.Select(e => e.Service.ID));
        Assert.Contains(passingReplicas[0].Checks, c => c.CheckID == "serfHealth");
    }

    [Fact]
    public async Task HealthChecksNodeAndState_ReportCheckStates()
    {
        await RegisterAsync("q-1", "queue", [], CheckStatus.Warning);

        var serviceChecks = (await Client.Health.ChecksAsync("queue")).Value;
        Assert.Equal(CheckStatus.Warning, Assert.Single(serviceChecks).Status);

        var nodeChecks = (await Client.Health.NodeAsync(Server.NodeName)).Value;
        Assert.Contains(nodeChecks, c => c.CheckID == "serfHealth" && c.Status == CheckStatus.Passing);
        Assert.Contains(nodeChecks, c => c.CheckID == "q-1:ttl");

        Assert.Contains((await Client.Health.StateAsync(CheckStatus.Warning)).Value, c => c.CheckID == "q-1:ttl");
        Assert.DoesNotContain((await Client.Health.StateAsync(CheckStatus.Passing)).Value, c => c.CheckID == "q-1:ttl");
        Assert.Contains((await Client.Health.StateAsync(CheckStatus.Any)).Value, c => c.CheckID == "q-1:ttl");
    }

    [Fact]
    public async Task StatusLeaderAndPeers_DevServer_IsItsOwnLeader()
    {
        var leader = await Client.Status.LeaderAsync();
        Assert.StartsWith(Server.Address + ":", leader, StringComparison.Ordinal);
        Assert.Equal([leader], await Client.Status.PeersAsync());
    }
}
