using System.Collections.Concurrent;
using Discovery.Consul.Agent;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.NodeAgent.Hosting;

/// <summary>The node agent against real Consul with real sample-app instances.</summary>
public sealed class NodeAgentRuntimeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_DefaultTwoInstances_BothRegisteredAndPassingAndAgentRegistered()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp(defaultInstances: 2)));

        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances pass every check");

        var instances = await harness.InstancesAsync();
        Assert.Equal(2, instances.Count);
        Assert.All(instances, service =>
        {
            Assert.Equal($"web-n1-{service.Port}", service.ID);
            Assert.Equal(harness.Address.ToString(), service.Address);
            Assert.Equal("discovery", service.Meta!["managed-by"]);
            Assert.Equal("n1", service.Meta["node"]);
            var started = DateTimeOffset.Parse(service.Meta["started"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(DateTimeOffset.UtcNow - started, TimeSpan.FromSeconds(-1), TimeSpan.FromMinutes(1)); // the process's own start
            Assert.Contains("discovery", service.Tags!);
        });
        var agentChecks = await harness.Consul.Health.ServiceAsync(ServiceRegistrationFactory.AgentServiceName, passingOnly: true);
        Assert.Equal("discovery-agent-n1", Assert.Single(agentChecks.Value).Service.ID);
        Assert.Equal(2, harness.StateRecords().Count);
    }

    [Fact]
    public async Task Instance_KilledWithSigkill_RestartedOnItsPortAndPassingAgain()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp()));
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 1, "the instance passes");
        var first = Assert.Single(harness.StateRecords());

        ProcessGroup.Signal(first.Pid, UnixSignal.Kill);

        await NodeAgentTestHarness.EventuallyAsync(
            () => Task.FromResult(harness.StateRecords() is [{ } record] && record.Pid != first.Pid), "a new process runs for the instance");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()) is [var id] && id == first.InstanceId, "the same instance ID passes again");
        Assert.Single(await harness.InstancesAsync());
        Assert.Single(runtime.Apps[0].Live);
    }

    [Fact]
    public async Task App_ExitsAtOnce_AliveCheckCriticalWithCrashLoopReason()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var crashing = TestConfigs.ShellApp("echo \"cannot open database on port $1\"; exit 3") with { Ports = new(19050, 19059) };
        await harness.StartAgentAsync(harness.NodeConfig(crashing));

        HealthCheckOf? alive = null;
        await NodeAgentTestHarness.EventuallyAsync(async () =>
        {
            var checks = await harness.Consul.Agent.ChecksAsync();
            alive = checks.Values.Where(check => check.CheckID == "web-n1-19050:alive").Select(check => new HealthCheckOf(check.Status, check.Output)).FirstOrDefault();
            return alive is { Output: var text } && text.Contains("crash loop", StringComparison.Ordinal);
        }, "the alive check reports the crash loop");

        Assert.Equal(CheckStatus.Critical, alive!.Status);
        Assert.Matches("crash loop: exited \\d+ times in .*; last exit code 3; last log line: cannot open database on port 19050", alive.Output);
        Assert.Empty(await harness.PassingAsync());
    }

    [Fact]
    public async Task Placement_1To3To1_ConvergesAndRemovedInstancesWereInMaintenanceBeforeSigterm()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp()));
        const string key = "discovery/apps/web/placement/n1";
        await harness.Consul.KV.PutStringAsync(key, "1");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 1, "one instance passes");
        var original = Assert.Single(await harness.PassingAsync());

        await harness.Consul.KV.PutStringAsync(key, "3");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 3, "three instances pass");
        var three = await harness.PassingAsync();

        // Observe both orders of events from outside: when Consul shows the maintenance check and
        // when the app logs that it got SIGTERM ("draining: ...").
        var maintenanceSeen = new ConcurrentDictionary<string, DateTime>();
        var sigtermSeen = new ConcurrentDictionary<string, DateTime>();
        using var observing = new CancellationTokenSource();
        var observer = Task.Run(async () =>
        {
            while (!observing.IsCancellationRequested)
            {
                try
                {
                    var checks = await harness.Consul.Agent.ChecksAsync();
                    foreach (var check in checks.Values.Where(check => check.CheckID.StartsWith("_service_maintenance:", StringComparison.Ordinal)))
                    {
                        maintenanceSeen.TryAdd(check.ServiceID, DateTime.UtcNow);
                    }
                }
                catch (Discovery.Consul.ConsulUnavailableException)
                {
                }

                foreach (var id in three)
                {
                    if (harness.Scope.FileContains($"logs/{id}.log", "draining:"))
                    {
                        sigtermSeen.TryAdd(id, DateTime.UtcNow);
                    }
                }

                await Task.Delay(50);
            }
        });

        await harness.Consul.KV.PutStringAsync(key, "1");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.InstancesAsync()).Count == 1 && runtime.Apps[0].Draining.Count == 0, "back to one registered instance");
        await observing.CancelAsync();
        await observer;

        Assert.Equal([original], await harness.PassingAsync());
        var removed = three.Where(id => id != original).ToList();
        Assert.Equal(2, removed.Count);
        foreach (var id in removed)
        {
            Assert.True(maintenanceSeen.TryGetValue(id, out var maintenanceAt), $"{id} was never seen in maintenance");
            Assert.True(sigtermSeen.TryGetValue(id, out var sigtermAt), $"{id} never logged its SIGTERM drain");
            Assert.True(maintenanceAt < sigtermAt, $"{id}: maintenance seen at {maintenanceAt:O}, SIGTERM at {sigtermAt:O}");
        }

        Assert.Single(harness.StateRecords());
    }

    [Fact]
    public async Task Placement_Garbage_KeepsCurrentCount()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp()));
        const string key = "discovery/apps/web/placement/n1";
        await harness.Consul.KV.PutStringAsync(key, "2");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances pass");

        await harness.Consul.KV.PutStringAsync(key, "lots");
        await harness.Consul.KV.PutStringAsync("discovery/apps/web/marker", "after");
        await Task.Delay(TimeSpan.FromSeconds(3));

        Assert.Equal(2, runtime.Apps[0].Desired);
        Assert.Equal(2, runtime.Apps[0].Live.Count);
        Assert.Empty(runtime.Apps[0].Draining);
    }

    [Fact]
    public async Task Agent_KilledAndRestarted_AdoptsInstancesWithoutDuplicatesAndRemovesOrphanRegistrations()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var config = harness.NodeConfig(harness.WebApp(defaultInstances: 2));
        await harness.StartAgentAsync(config);
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances pass");
        var before = harness.StateRecords();
        await harness.AbandonAgentAsync();
        // A registration this node does not run (e.g. its process died while the agent was down).
        await harness.Consul.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "web-n1-19049",
            Name = "web",
            Port = 19049,
            Meta = new Dictionary<string, string> { ["managed-by"] = "discovery", ["node"] = "n1" },
        });

        var runtime = await harness.StartAgentAsync(config);

        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.InstancesAsync()).Count == 2 && (await harness.PassingAsync()).Count == 2, "the orphan registration is gone and both instances pass");
        var after = harness.StateRecords();
        Assert.Equal(before.Select(record => (record.InstanceId, record.Pid)), after.Select(record => (record.InstanceId, record.Pid)));
        Assert.Equal(before.Select(record => record.InstanceId), (await harness.InstancesAsync()).Select(service => service.ID).Order(StringComparer.Ordinal));
        Assert.Equal(2, runtime.Apps[0].Live.Count);
        Assert.All(before, record => Assert.True(new ProcessIdentity(record.Pid, record.StartTime).IsRunning()));
    }

    [Fact]
    public async Task Consul_DownThenBackWithoutItsState_InstancesKeepRunningAndAreReRegistered()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp(defaultInstances: 2)));
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances pass");
        var records = harness.StateRecords();
        var pids = records.Select(record => record.Pid).ToList();

        await harness.Server.KillAsync();
        // Several TTL passes, anti-entropy runs and placement reads fail meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.All(records, record => Assert.True(new ProcessIdentity(record.Pid, record.StartTime).IsRunning(), $"{record.InstanceId} was stopped while Consul was down"));
        Assert.Equal(2, runtime.Apps[0].Live.Count);
        Assert.Empty(runtime.Apps[0].Draining);
        await harness.Server.StartAgainAsync();

        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "both instances are registered and pass again");
        var agent = await harness.Consul.Health.ServiceAsync(ServiceRegistrationFactory.AgentServiceName, passingOnly: true);
        Assert.Single(agent.Value);
        Assert.Equal(pids, harness.StateRecords().Select(record => record.Pid));
    }

    [Fact]
    public async Task Shutdown_Default_DrainsStopsAndDeregistersEverything()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp(defaultInstances: 2)));
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances pass");
        var records = harness.StateRecords();

        await runtime.StopAsync(stopInstances: true, CancellationToken.None);

        Assert.Empty(await harness.InstancesAsync());
        Assert.Empty(await harness.InstancesAsync(ServiceRegistrationFactory.AgentServiceName));
        Assert.Empty(harness.StateRecords());
        Assert.All(records, record => Assert.False(new ProcessIdentity(record.Pid, record.StartTime).IsRunning()));
        Assert.All(records, record => Assert.True(harness.Scope.FileContains($"logs/{record.InstanceId}.log", "draining:")));
    }

    [Fact]
    public async Task Shutdown_KeepInstances_LeavesThemRunningAndTheNextRunAdoptsThem()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var config = harness.NodeConfig(harness.WebApp());
        var runtime = await harness.StartAgentAsync(config);
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 1, "the instance passes");
        var record = Assert.Single(harness.StateRecords());

        await runtime.StopAsync(stopInstances: false, CancellationToken.None);

        Assert.True(new ProcessIdentity(record.Pid, record.StartTime).IsRunning());
        Assert.Empty(await harness.InstancesAsync(ServiceRegistrationFactory.AgentServiceName));
        await harness.StartAgentAsync(config);
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.InstancesAsync(ServiceRegistrationFactory.AgentServiceName)).Count == 1, "the agent registered again");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 1, "the adopted instance passes");
        Assert.Equal(record.Pid, Assert.Single(harness.StateRecords()).Pid);
    }

    [Fact]
    public async Task Drain_LoadBalancerStillRoutes_NoSigtermUntilItsRoutedKeyDropsTheInstance()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp()));
        const string key = "discovery/apps/web/placement/n1";
        await harness.Consul.KV.PutStringAsync(key, "2");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 2, "two instances pass");
        var both = await harness.PassingAsync();
        await harness.Consul.KV.PutStringAsync("discovery/lb/lb1/routed", $$"""{"instances":["{{both[0]}}","{{both[1]}}"]}""");

        await harness.Consul.KV.PutStringAsync(key, "1");
        await NodeAgentTestHarness.EventuallyAsync(() => Task.FromResult(runtime.Apps[0].Draining.Count == 1), "one instance drains");
        var leaving = runtime.Apps[0].Draining[0];
        var staying = both.Single(id => id != leaving);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(harness.Scope.FileContains($"logs/{leaving}.log", "draining:"), "SIGTERM was sent while a load balancer still routed to the instance");
        Assert.Equal([staying], await harness.PassingAsync());

        await harness.Consul.KV.PutStringAsync("discovery/lb/lb1/routed", $$"""{"instances":["{{staying}}"]}""");

        await NodeAgentTestHarness.EventuallyAsync(() => Task.FromResult(harness.Scope.FileContains($"logs/{leaving}.log", "draining:")), "the instance gets SIGTERM once unrouted", TimeSpan.FromSeconds(5));
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.InstancesAsync()).Count == 1, "the drained instance is deregistered");
    }

    [Fact]
    public async Task HostRunAsync_Cancelled_StopsInstancesDeregistersAndReturnsZero()
    {
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var config = harness.NodeConfig(harness.WebApp());
        using var stop = new CancellationTokenSource();
        var run = NodeAgentHost.RunAsync(config, NodeAgentTestHarness.FastOptions, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, stop.Token);
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync()).Count == 1, "the instance passes");
        var record = Assert.Single(Discovery.Core.NodeAgent.State.InstanceStateFile.Load(config.StateFilePath));
        harness.Scope.Track(new ProcessIdentity(record.Pid, record.StartTime));

        await stop.CancelAsync();

        Assert.Equal(NodeAgentHost.ExitOk, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(new ProcessIdentity(record.Pid, record.StartTime).IsRunning());
        Assert.Empty((await harness.Consul.Agent.ServicesAsync()).Values);
    }

    private sealed record HealthCheckOf(string Status, string Output);
}
