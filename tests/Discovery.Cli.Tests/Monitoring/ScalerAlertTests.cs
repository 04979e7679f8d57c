using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Discovery.Cli.Tests.Commands;
using Discovery.Consul.Agent;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Network;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.Monitoring;

/// <summary>
/// A real `agent scaler` against a real Consul, with an alert rule and a webhook receiver this test
/// runs: a load balancer whose check goes critical fires the rule (for: 1s), passing again resolves
/// it; both events carry the leader and its fencing token, and /metrics shows leadership, decisions
/// and the firing gauge.
/// </summary>
public sealed class ScalerAlertTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-alerts-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task Scaler_LoadBalancerCheckFailsThenPasses_WebhookGetsFiringThenResolved()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        using var client = consul.CreateClient();
        await client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "lb-test",
            Name = "lb",
            Address = consul.Address.ToString(),
            Port = 1,
            Checks = [new CheckDefinition { CheckId = "lb-test-alive", Name = "renderer alive", Ttl = TimeSpan.FromMinutes(5), Status = CheckStatus.Passing }],
        }, true);

        var ports = LoopbackAddress.FreePorts(consul.Address, 2);
        using var receiver = new HttpListener();
        receiver.Prefixes.Add($"http://{consul.Address}:{ports[1]}/");
        receiver.Start();
        var events = new ConcurrentQueue<JsonElement>();
        using var stopReceiving = new CancellationTokenSource();
        var receiving = ReceiveAsync(receiver, events, stopReceiving.Token);

        var config = Path.Combine(_folder, "scaler.yaml");
        await File.WriteAllTextAsync(config, $"""
            node: alerting-scaler
            consul: {"{"} address: "{consul.HttpAddress}" {"}"}
            lock: {"{"} checkTtl: 2s, lockDelay: 1s {"}"}
            monitoring: {"{"} listen: "{consul.Address}:{ports[0]}" {"}"}
            apps:
              - name: web
                policy: {"{"} evaluationInterval: 1s {"}"}
            alerts:
              - name: lb-down
                signal: renderer-failing
                for: 1s
                webhook: "http://{consul.Address}:{ports[1]}/hook"
            """);
        await using var scaler = AgentProcess.Start(null, "scaler", "--config", config);
        var metricsUrl = new Uri($"http://{consul.Address}:{ports[0]}/metrics");
        var metrics = "";
        await Eventually.UntilAsync(
            async () => NodeAgentMonitoringTests.Sample(metrics = await ScrapeAsync(metricsUrl), "discovery_scaler_leader", "app=\"web\"") == 1
                        && NodeAgentMonitoringTests.Sample(metrics, "discovery_scaler_decisions_total", "app=\"web\",kind=\"hold\"") >= 2,
            TimeSpan.FromSeconds(30), () => scaler.Describe() + "\n" + metrics);

        await client.Agent.FailTtlAsync("lb-test-alive", "renderer stopped (test)");
        await Eventually.UntilAsync(() => Task.FromResult(events.Any(e => e.GetProperty("status").GetString() == "firing")), TimeSpan.FromSeconds(20), () => scaler.Describe());
        Assert.Equal(1, NodeAgentMonitoringTests.Sample(await ScrapeAsync(metricsUrl), "discovery_alerts_firing", "rule=\"lb-down\""));

        await client.Agent.PassTtlAsync("lb-test-alive", "back");
        await Eventually.UntilAsync(() => Task.FromResult(events.Any(e => e.GetProperty("status").GetString() == "resolved")), TimeSpan.FromSeconds(20), () => scaler.Describe());

        var firing = events.First(e => e.GetProperty("status").GetString() == "firing");
        Assert.Equal("lb-down", firing.GetProperty("rule").GetString());
        Assert.Equal("renderer-failing", firing.GetProperty("signal").GetString());
        Assert.Equal(1, firing.GetProperty("value").GetDouble());
        Assert.Contains("lb-test check critical", firing.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("alerting-scaler", firing.GetProperty("leader").GetString());
        Assert.True(firing.GetProperty("fencingToken").GetUInt64() > 0);
        Assert.Equal(2, events.Count); // one firing, one resolved: no flapping, no duplicates
        await stopReceiving.CancelAsync();
        receiver.Stop();
        await receiving;
    }

    public void Dispose()
    {
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task ReceiveAsync(HttpListener listener, ConcurrentQueue<JsonElement> events, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using (var document = await JsonDocument.ParseAsync(context.Request.InputStream, cancellationToken: cancellationToken))
            {
                events.Enqueue(document.RootElement.Clone());
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    private async Task<string> ScrapeAsync(Uri url)
    {
        try
        {
            return await _http.GetStringAsync(url);
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }
}
