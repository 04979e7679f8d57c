using Discovery.Consul.Agent;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.NodeAgent.Registration;

public sealed class ServiceRegistrationFactoryTests
{
    [Fact]
    public void ForInstance_Spec_FollowsTheConsulObjectContract()
    {
        var node = TestConfigs.Node("/tmp/x", TestConfigs.ShellApp("true"));
        var spec = InstanceSpec.Create(node, node.Apps[0], 19005);

        var registration = ServiceRegistrationFactory.ForInstance(spec, AliveStatus.Passing("running"), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));

        Assert.Equal("web-n1-19005", registration.ID);
        Assert.Equal("web", registration.Name);
        Assert.Equal(["discovery", "v1"], registration.Tags);
        Assert.Equal("127.0.0.1", registration.Address);
        Assert.Equal(19005, registration.Port);
        Assert.Equal(new Dictionary<string, string> { ["node"] = "n1", ["instance"] = "web-n1-19005", ["version"] = "1", ["managed-by"] = "discovery" }, registration.Meta);
        var http = registration.Checks![0];
        Assert.Equal("web-n1-19005:http", http.CheckId);
        Assert.Equal("http://127.0.0.1:19005/health", http.Http);
        Assert.Equal(TimeSpan.FromSeconds(1), http.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), http.Timeout);
        Assert.Equal(TimeSpan.FromMinutes(10), http.DeregisterCriticalServiceAfter);
        var alive = registration.Checks[1];
        Assert.Equal("web-n1-19005:alive", alive.CheckId);
        Assert.Equal(TimeSpan.FromSeconds(30), alive.Ttl);
        Assert.Equal(CheckStatus.Passing, alive.Status);
    }

    [Theory]
    [InlineData("discovery", "n1", true)]
    [InlineData("discovery", "n2", false)]
    [InlineData("someone-else", "n1", false)]
    [InlineData(null, "n1", false)]
    public void IsOurs_Meta_OnlyThisNodesManagedServices(string? managedBy, string node, bool expected)
    {
        var meta = new Dictionary<string, string> { ["node"] = node };
        if (managedBy is not null)
        {
            meta["managed-by"] = managedBy;
        }

        Assert.Equal(expected, ServiceRegistrationFactory.IsOurs(new AgentService { ID = "x", Meta = meta }, "n1"));
    }

    public static TheoryData<InstanceEvent, string?, string?> Events => new()
    {
        { new("i", InstanceEventKind.Running, DateTimeOffset.UnixEpoch, Process: new ProcessIdentity(42, 1)), CheckStatus.Passing, "running, pid 42" },
        { new("i", InstanceEventKind.Exited, DateTimeOffset.UnixEpoch, ExitCode: 137), CheckStatus.Critical, "exited with code 137" },
        { new("i", InstanceEventKind.CrashLooping, DateTimeOffset.UnixEpoch, Reason: "exited 4 times"), CheckStatus.Critical, "crash loop: exited 4 times" },
        { new("i", InstanceEventKind.BackingOff, DateTimeOffset.UnixEpoch, Reason: "exited 5 times"), CheckStatus.Critical, "crash loop: exited 5 times" },
        { new("i", InstanceEventKind.Starting, DateTimeOffset.UnixEpoch), null, null },
        { new("i", InstanceEventKind.Stopped, DateTimeOffset.UnixEpoch), null, null },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void AliveStatusFromEvent_SupervisorEvent_CheckStateAndOutput(InstanceEvent instanceEvent, string? status, string? output)
    {
        var alive = AliveStatus.FromEvent(instanceEvent);

        Assert.Equal(status, alive?.Status);
        Assert.Equal(output, alive?.Output);
    }

    [Fact]
    public void ForAgent_Apps_ListedSortedInMetaForPlacement()
    {
        var registration = ServiceRegistrationFactory.ForAgent("n1", "127.0.0.21", ["web", "api"], TimeSpan.FromSeconds(30));

        Assert.Equal("discovery-agent-n1", registration.ID);
        Assert.Equal("discovery-agent", registration.Name);
        Assert.Equal("api,web", registration.Meta![ServiceRegistrationFactory.AppsKey]);
        Assert.DoesNotContain(ServiceRegistrationFactory.DiscoveryTag, registration.Tags!); // templates route every service with that tag
        Assert.Equal("n1", registration.Meta[ServiceRegistrationFactory.NodeKey]);
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(registration.Checks!).Ttl);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "passing")]
    public void ForInstance_HealthyNow_HttpCheckStartsPassingOnlyWhenSeenHealthy(bool healthyNow, string? expected)
    {
        var node = TestConfigs.Node("/tmp/x", TestConfigs.ShellApp("true"));
        var spec = InstanceSpec.Create(node, node.Apps[0], 9001);
        var registration = ServiceRegistrationFactory.ForInstance(spec, AliveStatus.Passing("running"), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), healthyNow);

        Assert.Equal(expected, registration.Checks!.Single(check => check.Http is not null).Status);
    }

    [Fact]
    public void ForInstance_StartedAt_PublishedAsIsoMetaForTheStatusAge()
    {
        var node = TestConfigs.Node("/tmp/x", TestConfigs.ShellApp("true"));
        var spec = InstanceSpec.Create(node, node.Apps[0], 9001);
        var started = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

        var with = ServiceRegistrationFactory.ForInstance(spec, AliveStatus.Passing("running"), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10), startedAt: started);
        var without = ServiceRegistrationFactory.ForInstance(spec, AliveStatus.Passing("running"), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));

        Assert.Equal("2026-01-02T01:04:05.0000000Z", with.Meta![ServiceRegistrationFactory.StartedKey]);
        Assert.False(without.Meta!.ContainsKey(ServiceRegistrationFactory.StartedKey));
    }
}
