using Discovery.Consul.Agent;
using Discovery.Consul.Tests.Support;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Endpoints;

public sealed class AgentEndpointTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    [Fact]
    public async Task RegisterService_WithHttpTcpAndTtlChecks_AgentReportsEverything()
    {
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "web-n1-9001",
            Name = "web",
            Tags = ["discovery", "v1"],
            Address = Server.Address.ToString(),
            Port = 9001,
            Meta = new Dictionary<string, string> { ["node"] = "n1", ["version"] = "1.0.0" },
            Checks =
            [
                new CheckDefinition
                {
                    CheckId = "web-n1-9001:http", Name = "http", Http = $"{Server.HttpAddress}v1/status/leader",
                    Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromMilliseconds(500),
                    SuccessBeforePassing = 1, FailuresBeforeCritical = 2,
                    DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(5),
                },
                new CheckDefinition { CheckId = "web-n1-9001:tcp", Name = "tcp", Tcp = $"{Server.Address}:{Server.HttpPort}", Interval = TimeSpan.FromSeconds(1) },
                new CheckDefinition { CheckId = "web-n1-9001:alive", Name = "alive", Ttl = TimeSpan.FromSeconds(10) },
            ],
        });

        var services = await Client.Agent.ServicesAsync();
        var web = services["web-n1-9001"];
        Assert.Equal("web", web.Service);
        Assert.Equal(9001, web.Port);
        Assert.Equal(["discovery", "v1"], web.Tags);
        Assert.Equal("1.0.0", web.Meta!["version"]);

        await EventuallyAsync(async () =>
        {
            var checks = await Client.Agent.ChecksAsync();
            return checks["web-n1-9001:http"].Status == CheckStatus.Passing && checks["web-n1-9001:tcp"].Status == CheckStatus.Passing;
        }, TimeSpan.FromSeconds(10), "HTTP and TCP checks pass against the agent's own port");
        Assert.Equal(CheckStatus.Critical, (await Client.Agent.ChecksAsync())["web-n1-9001:alive"].Status);
    }

    [Theory]
    [InlineData(CheckStatus.Passing)]
    [InlineData(CheckStatus.Warning)]
    [InlineData(CheckStatus.Critical)]
    public async Task UpdateTtlCheck_EachStatus_StatusAndOutputStored(string status)
    {
        var id = "svc-" + status;
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = id, Name = "ttl-svc", Checks = [new CheckDefinition { CheckId = id + ":ttl", Name = "ttl", Ttl = TimeSpan.FromSeconds(30) }],
        });

        var update = status switch
        {
            CheckStatus.Passing => Client.Agent.PassTtlAsync(id + ":ttl", "all good " + status),
            CheckStatus.Warning => Client.Agent.WarnTtlAsync(id + ":ttl", "all good " + status),
            _ => Client.Agent.FailTtlAsync(id + ":ttl", "all good " + status),
        };
        await update;

        var check = (await Client.Agent.ChecksAsync())[id + ":ttl"];
        Assert.Equal(status, check.Status);
        Assert.Equal("all good " + status, check.Output);
    }

    [Fact]
    public async Task UpdateTtlCheck_UnknownStatus_Throws() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Client.Agent.UpdateTtlCheckAsync("x", "fine"));

    [Fact]
    public async Task ServiceMaintenance_OnThenOff_AddsAndRemovesCriticalCheck()
    {
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration { ID = "maint-1", Name = "maint" });
        await Client.Agent.EnableServiceMaintenanceAsync("maint-1", "draining for test");

        var checks = await Client.Agent.ChecksAsync();
        var maintenance = Assert.Single(checks.Values, check => check.ServiceID == "maint-1" && check.CheckID.StartsWith("_service_maintenance", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Critical, maintenance.Status);
        Assert.Contains("draining for test", maintenance.Notes);
        Assert.Empty((await Client.Health.ServiceAsync("maint", passingOnly: true)).Value);

        await Client.Agent.DisableServiceMaintenanceAsync("maint-1");
        Assert.DoesNotContain((await Client.Agent.ChecksAsync()).Values, check => check.CheckID.StartsWith("_service_maintenance", StringComparison.Ordinal));
        Assert.Single((await Client.Health.ServiceAsync("maint", passingOnly: true)).Value);
    }

    [Fact]
    public async Task DeregisterService_Registered_RemovesServiceAndChecks()
    {
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "gone-1", Name = "gone", Checks = [new CheckDefinition { CheckId = "gone-1:ttl", Name = "ttl", Ttl = TimeSpan.FromSeconds(30) }],
        });
        await Client.Agent.DeregisterServiceAsync("gone-1");

        Assert.False((await Client.Agent.ServicesAsync()).ContainsKey("gone-1"));
        Assert.False((await Client.Agent.ChecksAsync()).ContainsKey("gone-1:ttl"));
    }

    [Fact]
    public async Task RegisterCheck_NodeLevelTtl_CanBePassedAndDeregistered()
    {
        await Client.Agent.RegisterCheckAsync(new CheckDefinition { CheckId = "node-alive", Name = "node alive", Ttl = TimeSpan.FromSeconds(5), Status = CheckStatus.Passing });
        var check = (await Client.Agent.ChecksAsync())["node-alive"];
        Assert.Equal(CheckStatus.Passing, check.Status);
        Assert.Equal("", check.ServiceID);

        await Client.Agent.DeregisterCheckAsync("node-alive");
        Assert.False((await Client.Agent.ChecksAsync()).ContainsKey("node-alive"));
    }

    [Fact]
    public async Task ServicesAndService_WithFilterAndBlocking_ReturnOnlyMatches()
    {
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration { ID = "f-1", Name = "filtered", Meta = new Dictionary<string, string> { ["node"] = "a" } });
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration { ID = "f-2", Name = "filtered", Meta = new Dictionary<string, string> { ["node"] = "b" } });

        var onlyA = await Client.Agent.ServicesAsync("Meta.node == \"a\"");
        Assert.Equal(["f-1"], onlyA.Keys);
        var one = await Client.Agent.ServiceAsync("f-2");
        Assert.Equal("b", one.Value!.Meta!["node"]);
        Assert.Null((await Client.Agent.ServiceAsync("missing")).Value);
    }

    [Fact]
    public async Task SelfAndMembers_DevAgent_DescribeThisNode()
    {
        var self = await Client.Agent.SelfAsync();
        Assert.Equal(Server.NodeName, self.Config.NodeName);
        Assert.Equal("dc1", self.Config.Datacenter);
        Assert.True(self.Config.Server);
        Assert.StartsWith("1.", self.Config.Version, StringComparison.Ordinal);

        var member = Assert.Single(await Client.Agent.MembersAsync());
        Assert.Equal(Server.NodeName, member.Name);
        Assert.True(member.IsAlive);
        Assert.Equal(Server.Address.ToString(), member.Addr);
    }
}
