using Discovery.Consul.Queries;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Cluster;

public sealed class ConsulClusterFixtureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task StartAsync_ThreeServers_ReplicateAndSurviveLeaderKill()
    {
        await using var cluster = await ConsulClusterFixture.StartAsync(3, output);
        Assert.Equal(3, cluster.Members.Select(m => m.Address).Distinct().Count());
        using var first = cluster.Members[0].CreateClient();
        using var last = cluster.Members[2].CreateClient();
        Assert.Equal(3, (await first.Agent.MembersAsync()).Count);
        await first.KV.PutStringAsync("discovery/probe", "one");
        Assert.Equal("one", (await last.KV.GetAsync("discovery/probe", new QueryOptions { Consistency = ConsistencyMode.Consistent })).Value!.ValueAsString());

        var leader = await cluster.LeaderAsync();
        Assert.NotNull(leader);
        await leader.KillAsync();
        Assert.Null(leader.ProcessId);
        await cluster.StartAgainAsync(leader);

        var newLeader = await cluster.LeaderAsync();
        Assert.NotNull(newLeader);
        using var restarted = leader.CreateClient();
        Assert.Equal("one", (await restarted.KV.GetAsync("discovery/probe", new QueryOptions { Consistency = ConsistencyMode.Consistent })).Value!.ValueAsString());
    }
}
