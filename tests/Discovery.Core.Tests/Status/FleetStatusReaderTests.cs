using System.Text;
using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.KV;
using Discovery.Consul.Sessions;
using Discovery.Core.Status;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Status;

public sealed class FleetStatusReaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ConsulTestServer _server = null!;
    private ConsulClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsulTestServer.StartAsync(output);
        _client = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task ReadAsync_FleetWithInstancesKvAndLeader_ReportsEveryCount()
    {
        var node = _server.NodeName;
        foreach (var (port, checkStatus) in new[] { (9001, CheckStatus.Passing), (9002, CheckStatus.Passing), (9003, CheckStatus.Critical) })
        {
            await _client.Agent.RegisterServiceAsync(new ServiceRegistration
            {
                ID = $"web-{node}-{port}",
                Name = "web",
                Tags = ["discovery"],
                Address = "127.0.0.1",
                Port = port,
                Meta = new Dictionary<string, string> { ["node"] = node, ["version"] = "1.2.3", ["started"] = DateTimeOffset.UtcNow.AddMinutes(-2).ToString("O") },
                Checks = [new CheckDefinition { CheckId = $"alive-{port}", Name = "process alive", Ttl = TimeSpan.FromMinutes(5), Status = checkStatus }],
            }, cancellationToken: CancellationToken.None);
        }

        await _client.KV.PutStringAsync("discovery/apps/web/desired", "3");
        await _client.KV.PutStringAsync("discovery/apps/web/placement/n1", "2");
        await _client.KV.PutStringAsync("discovery/apps/web/placement/n2", "2");
        await _client.KV.PutStringAsync("discovery/apps/web/autoscale", "off");
        await _client.KV.PutStringAsync("discovery/apps/web/hold", $"{{\"count\":3,\"until\":\"{DateTimeOffset.UtcNow.AddMinutes(10):O}\",\"reason\":\"demo\"}}");
        for (var seq = 1; seq <= 7; seq++)
        {
            await _client.KV.PutStringAsync($"discovery/apps/web/history/{seq}", $"{{\"from\":{seq},\"to\":{seq + 1},\"reason\":\"r{seq}\"}}");
        }

        // lb1 and lb2 pass and route 9001/9002; lb3's service is critical and lb4 has none: what
        // they list (9003) is routed by nobody.
        await RegisterLoadBalancerAsync("lb1", CheckStatus.Passing);
        await RegisterLoadBalancerAsync("lb2", CheckStatus.Passing);
        await RegisterLoadBalancerAsync("lb3", CheckStatus.Critical);
        await _client.KV.PutStringAsync("discovery/lb/lb1/routed", $"{{\"instances\":[\"web-{node}-9001\"],\"at\":\"now\"}}");
        await _client.KV.PutStringAsync("discovery/lb/lb2/routed", $"{{\"instances\":[\"web-{node}-9002\",\"web-{node}-9001\"]}}");
        await _client.KV.PutStringAsync("discovery/lb/lb3/routed", $"{{\"instances\":[\"web-{node}-9003\"]}}");
        await _client.KV.PutStringAsync("discovery/lb/lb4/routed", $"{{\"instances\":[\"web-{node}-9003\"]}}");
        var session = await _client.Sessions.CreateAsync(new SessionRequest { Name = "scaler-x", Ttl = TimeSpan.FromMinutes(1), Checks = [] });
        Assert.True(await _client.KV.AcquireAsync("discovery/apps/web/leader", session));

        var status = await new FleetStatusReader(_client, "discovery", TimeProvider.System).ReadAsync(null, CancellationToken.None);

        var web = Assert.Single(status.Apps);
        Assert.Equal(("web", 3, 4, 3, 2, 2), (web.Name, web.Desired, web.Placed, web.Running, web.Passing, web.Routed));
        Assert.False(web.Autoscale);
        Assert.Equal((3, "demo", true), (web.Hold!.Count, web.Hold.Reason, web.Hold.Active));
        Assert.Equal((session, node, "scaler-x", 1UL), (web.Leader!.Session, web.Leader.Node, web.Leader.SessionName, web.Leader.FencingToken));
        Assert.Equal(["7", "6", "5", "4", "3"], web.Decisions.Select(decision => decision.Sequence));
        Assert.Equal("7→8 r7", web.Decisions[0].Summary);
        var critical = Assert.Single(web.Instances, instance => instance.Port == 9003);
        Assert.Equal((CheckStatus.Critical, false, "1.2.3"), (critical.Health, critical.Routed, critical.Version));
        Assert.InRange(critical.Age!.Value, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task ReadAsync_LoadBalancerServiceGone_ItsRoutedListNoLongerCounts()
    {
        var node = _server.NodeName;
        await _client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = $"web-{node}-9001",
            Name = "web",
            Tags = ["discovery"],
            Port = 9001,
            Checks = [new CheckDefinition { CheckId = "alive-9001", Name = "process alive", Ttl = TimeSpan.FromMinutes(5), Status = CheckStatus.Passing }],
        }, cancellationToken: CancellationToken.None);
        await RegisterLoadBalancerAsync("lb1", CheckStatus.Passing);
        await _client.KV.PutStringAsync("discovery/lb/lb1/routed", $"{{\"instances\":[\"web-{node}-9001\"]}}");
        var reader = new FleetStatusReader(_client, "discovery", TimeProvider.System);
        var whileUp = (await reader.ReadAsync("web", CancellationToken.None)).Apps.Single();

        // A halted load balancer: its renderer deregistered `lb-lb1`, its last routed list stays in KV.
        await _client.Agent.DeregisterServiceAsync("lb-lb1", cancellationToken: CancellationToken.None);
        var afterHalt = (await reader.ReadAsync("web", CancellationToken.None)).Apps.Single();

        Assert.Equal((1, true), (whileUp.Routed, whileUp.Instances.Single().Routed));
        Assert.Equal((0, false), (afterHalt.Routed, afterHalt.Instances.Single().Routed));
    }

    [Fact]
    public async Task ReadAsync_AppOnlyInKvWithoutLeader_ShowsZerosAndNoLeader()
    {
        await _client.KV.PutStringAsync("discovery/apps/api/desired", "2");

        var status = await new FleetStatusReader(_client, "discovery", TimeProvider.System).ReadAsync("api", CancellationToken.None);

        var api = Assert.Single(status.Apps);
        Assert.Equal(("api", 2, 0, 0, 0, 0, true), (api.Name, api.Desired, api.Placed, api.Running, api.Passing, api.Routed, api.Autoscale));
        Assert.Null(api.Leader);
        Assert.Null(api.Hold);
        Assert.Empty(api.Instances);
    }

    [Fact]
    public async Task ReadAsync_DeployInProgress_VersionMapsCountedAndDeployShown()
    {
        await _client.KV.PutStringAsync("discovery/apps/api/placement/n1", """{"1.0.0":2,"1.1.0":1}""");
        await _client.KV.PutStringAsync("discovery/apps/api/placement/n2", "2");
        await _client.KV.PutStringAsync("discovery/apps/api/deploy", """{"version":"1.1.0","previous":"1.0.0","status":"rolling","healthDeadlineMs":60000}""");

        var status = await new FleetStatusReader(_client, "discovery", TimeProvider.System).ReadAsync("api", CancellationToken.None);

        var api = Assert.Single(status.Apps);
        Assert.Equal(5, api.Placed);
        Assert.Equal("rolling 1.0.0 → 1.1.0", api.Deploy);
    }

    [Fact]
    public async Task WatchAsync_KvChanges_YieldsANewSnapshotWithoutWaitingForMaxAge()
    {
        await _client.KV.PutStringAsync("discovery/apps/web/desired", "1");
        var reader = new FleetStatusReader(_client, "discovery", TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<int?>();

        // maxAge (10 min) is far beyond the test's timeout: only the change can produce the second snapshot.
        await foreach (var status in new FleetStatusWatcher(_client, reader, TimeProvider.System).WatchAsync("discovery", "web", TimeSpan.FromMinutes(10), null, timeout.Token))
        {
            seen.Add(status.Apps.Single().Desired);
            if (seen.Count == 1)
            {
                await _client.KV.PutStringAsync("discovery/apps/web/desired", "5");
            }
            else if (status.Apps.Single().Desired == 5)
            {
                break;
            }
        }

        Assert.Equal(1, seen[0]);
        Assert.Equal(5, seen[^1]);
    }

    [Fact]
    public async Task WatchAsync_WritesOutsideAnEmptyPrefix_NoNewSnapshot()
    {
        var reader = new FleetStatusReader(_client, "quiet", TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var snapshots = 0;
        var writer = Task.CompletedTask;

        // Nothing exists under quiet/: a blocking list of it returns on any KV write, which must not count.
        await foreach (var status in new FleetStatusWatcher(_client, reader, TimeProvider.System).WatchAsync("quiet", null, TimeSpan.FromMinutes(10), null, timeout.Token))
        {
            snapshots++;
            if (snapshots == 1)
            {
                writer = Task.Run(async () =>
                {
                    await Task.Delay(500); // past the watches' own first answers
                    for (var i = 0; i < 10; i++)
                    {
                        await _client.KV.PutStringAsync($"elsewhere/{i}", "v");
                        await Task.Delay(100);
                    }

                    await _client.KV.PutStringAsync("quiet/apps/web/desired", "2");
                });
            }
            else if (status.Apps.SingleOrDefault()?.Desired == 2)
            {
                break;
            }
        }

        await writer;
        // The first snapshot, at most one per watch for its first answer, then the change itself.
        Assert.True(snapshots <= 4, $"{snapshots} snapshots: writes outside the prefix woke the watcher");
    }

    /// <summary>An `lb` service as the renderer registers it (ID lb-&lt;name&gt;), with a TTL check in the given state.</summary>
    private Task RegisterLoadBalancerAsync(string name, string status) =>
        _client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = $"lb-{name}",
            Name = "lb",
            Port = 80,
            Checks = [new CheckDefinition { CheckId = $"lb-{name}-alive", Name = "renderer alive", Ttl = TimeSpan.FromMinutes(5), Status = status }],
        }, cancellationToken: CancellationToken.None);

    [Theory]
    [InlineData("{\"time\":\"12:00\",\"from\":2,\"to\":4,\"reason\":\"rpm 300 > 100\"}", "12:00 2→4 rpm 300 > 100")]
    [InlineData("{\"old\":5,\"new\":3}", "5→3")]
    [InlineData("{\"to\":1}", "?→1")]
    [InlineData("{\"other\":true}", "{\"other\":true}")]
    [InlineData("[1]", "[1]")]
    public void Summarize_HistoryEntry_OneLine(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(expected, FleetStatusReader.Summarize(document.RootElement));
    }

    [Theory]
    [InlineData("{\"count\":2,\"until\":\"2030-01-01T00:00:00Z\",\"reason\":\"x\"}", 2, true)]
    [InlineData("{\"count\":2,\"until\":\"2020-01-01T00:00:00Z\"}", 2, false)]
    [InlineData("{\"count\":4}", 4, true)]
    [InlineData("not json", null, false)]
    public void ParseHold_Value_CountAndActive(string value, int? count, bool active)
    {
        var hold = FleetStatusReader.ParseHold(new KVPair { Key = "k", Value = Encoding.UTF8.GetBytes(value) }, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal((count, active), (hold!.Count, hold.Active));
    }
}
