using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Tests.TestSupport;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Scaling.Operations;

public sealed class ScaleOperationTests(ITestOutputHelper output) : ConsulScalingTestBase(output)
{
    private const string Prefix = "discovery";
    private readonly ScalerKeys _web = new(Prefix, "web");

    [Theory]
    [InlineData("web", "-1", false, "negative")]
    [InlineData("web", "abc", false, "not a whole number")]
    [InlineData("web", "", false, "not a whole number")]
    [InlineData("web", "2.5", false, "not a whole number")]
    [InlineData("web", "6", false, "outside web's policy bounds 1..5")]
    [InlineData("web", "0", false, "outside web's policy bounds 1..5")]
    [InlineData("nosuchapp", "2", false, "unknown app \"nosuchapp\"")]
    [InlineData("nosuchapp", "2", true, "unknown app \"nosuchapp\"")]
    [InlineData("a/b", "2", true, "not an app name")]
    public async Task ScaleAsync_InvalidInput_ReturnsInvalidAndWritesNothing(string app, string count, bool force, string message)
    {
        await Client.KV.PutStringAsync(_web.Policy, """{"min":1,"max":5}""");
        var before = (await Client.KV.ListAsync(Prefix + "/")).Value.Select(p => (p.Key, p.ModifyIndex)).ToList();

        var result = await new ScaleOperation(Client, Prefix).ScaleAsync(app, count, hold: null, force, reason: null, CancellationToken.None);

        Assert.Equal(OperationStatus.InvalidInput, result.Status);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
        var after = (await Client.KV.ListAsync(Prefix + "/")).Value.Select(p => (p.Key, p.ModifyIndex)).ToList();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task ScaleAsync_ValidCount_WritesDesiredAndDefaultHold()
    {
        await Client.KV.PutStringAsync(_web.Policy, """{"min":1,"max":5}""");
        var started = DateTimeOffset.UtcNow;

        var result = await new ScaleOperation(Client, Prefix).ScaleAsync("web", "4", hold: null, force: false, reason: null, CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.Equal("4", (await Client.KV.GetAsync(_web.Desired)).Value!.ValueAsString());
        Assert.True(HoldJson.TryRead((await Client.KV.GetAsync(_web.Hold)).Value!.ValueAsString(), out var hold, out var error), error);
        Assert.Equal(4, hold.Count);
        Assert.InRange(hold.Until, started + ScaleOperation.DefaultHold - TimeSpan.FromSeconds(1), DateTimeOffset.UtcNow + ScaleOperation.DefaultHold);
    }

    [Fact]
    public async Task ScaleAsync_AboveMaxWithForce_WritesIt()
    {
        var configPolicies = new Dictionary<string, ScalingPolicy> { ["web"] = ScalingPolicy.Default with { Max = 3 } };

        var result = await new ScaleOperation(Client, Prefix, configPolicies).ScaleAsync("web", "7", TimeSpan.FromMinutes(1), force: true, reason: "load test", CancellationToken.None);

        Assert.True(result.Succeeded, result.Message);
        Assert.Contains("forced", result.Message, StringComparison.Ordinal);
        Assert.Equal("7", (await Client.KV.GetAsync(_web.Desired)).Value!.ValueAsString());
        Assert.Contains("load test", (await Client.KV.GetAsync(_web.Hold)).Value!.ValueAsString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScaleAsync_ConsulDown_ReturnsFailed()
    {
        var configPolicies = new Dictionary<string, ScalingPolicy> { ["web"] = ScalingPolicy.Default };
        await Server.KillAsync();

        var result = await new ScaleOperation(Client, Prefix, configPolicies).ScaleAsync("web", "2", null, false, null, CancellationToken.None);

        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public async Task WaitAsync_NotEnoughInstances_TimesOutWithProgress()
    {
        await RegisterNodeAgentAsync("web");
        await RegisterPassingInstanceAsync();
        await Client.KV.PutStringAsync(Prefix + "/lb/lb1/routed", """{"instances":["web-n1-9001"],"at":"2026-01-01T00:00:00Z"}""");
        var reports = new List<ScaleProgress>();

        var result = await new ScaleOperation(Client, Prefix).WaitAsync("web", 2, TimeSpan.FromSeconds(2), new SyncProgress(reports), CancellationToken.None);

        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Contains("1/2 passing, 1/2 routed", result.Message, StringComparison.Ordinal);
        Assert.NotEmpty(reports);
    }

    [Fact]
    public async Task WaitAsync_PassingButNotRouted_WaitsUntilRouted()
    {
        await RegisterPassingInstanceAsync();
        await Client.KV.PutStringAsync(Prefix + "/lb/lb1/routed", """{"instances":[],"at":"2026-01-01T00:00:00Z"}""");
        var reports = new List<ScaleProgress>();
        var wait = new ScaleOperation(Client, Prefix).WaitAsync("web", 1, TimeSpan.FromSeconds(30), new SyncProgress(reports), CancellationToken.None);

        await EventuallyAsync(() => Task.FromResult(reports.Count > 0), TimeSpan.FromSeconds(10), "first progress report");
        Assert.False(wait.IsCompleted);
        await Client.KV.PutStringAsync(Prefix + "/lb/lb1/routed", """{"instances":["web-n1-9001"],"at":"2026-01-01T00:00:01Z"}""");
        var result = await wait;

        Assert.True(result.Succeeded, result.Message);
        Assert.Contains(reports, r => r is { Passing: 1, Routed: 0 });
    }

    [Fact]
    public async Task WaitAsync_WritesElsewhereInKv_NoRepeatedProgress()
    {
        await RegisterPassingInstanceAsync();
        var reports = new List<ScaleProgress>();

        // No load balancer publishes routes: the routed prefix is empty, and its blocking list returns on any KV write.
        var wait = new ScaleOperation(Client, Prefix).WaitAsync("web", 2, TimeSpan.FromSeconds(4), new SyncProgress(reports), CancellationToken.None);
        await EventuallyAsync(() => Task.FromResult(reports.Count > 0), TimeSpan.FromSeconds(10), "first progress report");
        for (var i = 0; i < 10; i++)
        {
            await Client.KV.PutStringAsync($"elsewhere/{i}", "v");
            await Task.Delay(100);
        }

        var result = await wait;

        Assert.Equal(OperationStatus.Failed, result.Status);
        Assert.Contains("1/2 passing", result.Message, StringComparison.Ordinal);
        Assert.Single(reports);
    }

    /// <summary>An instance web-n1-9001 on this Consul node, passing for the rest of the test.</summary>
    private Task RegisterPassingInstanceAsync() =>
        Client.Agent.RegisterServiceAsync(new Discovery.Consul.Agent.ServiceRegistration
        {
            ID = "web-n1-9001",
            Name = "web",
            Port = 9001,
            Checks = [new Discovery.Consul.Agent.CheckDefinition { Name = "alive", Ttl = TimeSpan.FromHours(1), Status = "passing" }],
        });

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the test wants the reports in order, at once.</summary>
    private sealed class SyncProgress(List<ScaleProgress> reports) : IProgress<ScaleProgress>
    {
        public void Report(ScaleProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
