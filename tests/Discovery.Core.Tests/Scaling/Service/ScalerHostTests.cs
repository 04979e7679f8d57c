using Discovery.Consul.Agent;
using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Service;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing.Nginx;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Scaling.Service;

public sealed class ScalerHostTests(ITestOutputHelper output) : ConsulScalingTestBase(output)
{
    [Fact]
    public async Task RunAsync_ConfigFile_ScrapesRealNginxAndWritesDecisionsUntilCancelled()
    {
        await using var nginx = await StubStatusNginx.StartAsync();
        await RegisterNodeAgentAsync("web");
        await Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "lb-test",
            Name = "lb",
            Port = nginx.BaseAddress.Port,
            Meta = new Dictionary<string, string> { ["stub_status"] = nginx.StubStatusUrl.ToString() },
        });
        var yaml = $$"""
            node: host-test
            consul: { address: "{{Server.HttpAddress}}" }
            metrics: { scrapeInterval: 1s, window: 4s }
            apps:
              - name: web
                policy: { min: 2, max: 5, evaluationInterval: 1s }
            """;
        var config = ScalerConfigLoader.Load(yaml, ConfigFormat.Yaml, "/tmp").GetConfigOrThrow();
        var keys = new ScalerKeys("discovery", "web");
        using var stop = new CancellationTokenSource();

        var run = ScalerHost.RunAsync(config, new CapturingLoggerFactory(Output), stop.Token);
        await EventuallyAsync(
            async () => (await Client.KV.ListAsync(keys.HistoryPrefix)).Value
                .Select(p => DecisionRecordJson.TryRead(p.ValueAsString()))
                .Any(r => r is { } record && record.Metrics.TryGetValue("requestsPerMinute", out var rpm) && rpm is not null),
            TimeSpan.FromSeconds(30),
            "a decision made on a real stub_status rate");
        await stop.CancelAsync();
        var exitCode = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(0, exitCode);
        Assert.Equal("2", (await Client.KV.GetAsync(keys.Desired)).Value!.ValueAsString()); // raised to min at once
        Assert.Null((await Client.KV.GetAsync(keys.Leader)).Value?.Session); // released on shutdown
    }
}
