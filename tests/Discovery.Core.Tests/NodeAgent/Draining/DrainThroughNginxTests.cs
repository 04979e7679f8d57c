using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Tests.NodeAgent.Hosting;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing.Load;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.NodeAgent.Draining;

/// <summary>
/// Scale-in with no reload in the way, everything real: a node agent running two sample-app
/// instances, the renderer (structure + pushed peer set) and nginx. The leaving instance finishes
/// the slow requests it has in flight, gets no new request once nginx stopped routing to it, and
/// only then SIGTERM; a wrk keep-alive load sees no failure and nginx never reloads.
/// </summary>
public sealed class DrainThroughNginxTests(ITestOutputHelper output)
{
    private const string Placement = "discovery/apps/web/placement/n1";
    private const string Routed = "discovery/lb/lb1/routed";
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task ScaleIn_SlowRequestsInFlight_FinishedNoNewRequestsAfterUnroutedSigtermAfterThat()
    {
        // peers.ctmpl routes only believable instances (issue 12): the node agent's name and address are its Consul node's.
        await using var harness = await NodeAgentTestHarness.CreateAsync(output, consulNodeName: "n1");
        await using var nginx = await NginxTestServer.StartAsync(output);
        using var stopRenderer = new CancellationTokenSource();
        var renderer = RendererHost.RunAsync(RendererConfig(harness, nginx), new TestOutputLoggerFactory(output), stopRenderer.Token);
        var runtime = await harness.StartAgentAsync(harness.NodeConfig(harness.WebApp()) with { AdvertiseAddress = harness.Server.Address.ToString() });
        await harness.Consul.KV.PutStringAsync(Placement, "2");
        await NodeAgentTestHarness.EventuallyAsync(async () => (await RoutedAsync(harness)).Count == 2, "two instances routed");
        var workers = nginx.WorkerPids();

        using var loadStop = new CancellationTokenSource();
        var wrk = Wrk.RunAsync(new WrkOptions(nginx.BaseAddress, 4, TimeSpan.FromSeconds(8), RequestsPerSecond: 100), CancellationToken.None);
        var slow = Enumerable.Range(0, 6).Select(_ => GetAsync(nginx, "/?delay=3000")).ToList();
        await Task.Delay(300); // the slow requests are in flight on both instances
        var answers = new ConcurrentQueue<(long At, string Instance)>();
        var fast = PollAsync(nginx, answers, loadStop.Token);

        await harness.Consul.KV.PutStringAsync(Placement, "1");
        await NodeAgentTestHarness.EventuallyAsync(() => Task.FromResult(runtime.Apps[0].Draining.Count == 1), "one instance drains");
        var leaving = runtime.Apps[0].Draining[0];
        await NodeAgentTestHarness.EventuallyAsync(async () => !(await RoutedAsync(harness)).Contains(leaving), "nginx stops routing to the leaving instance");
        var unroutedAt = Stopwatch.GetTimestamp();
        await NodeAgentTestHarness.EventuallyAsync(() => Task.FromResult(harness.Scope.FileContains($"logs/{leaving}.log", "draining:")), "the instance gets SIGTERM");

        var slowResults = await Task.WhenAll(slow);
        await Task.Delay(1000);
        await loadStop.CancelAsync();
        await fast;
        var wrkResult = await wrk;
        output.WriteLine($"wrk: {wrkResult}; slow answers: {string.Join(", ", slowResults.Select(result => $"{(int)result.Status} {result.Instance}"))}");
        foreach (var line in File.ReadLines(Path.Combine(nginx.Prefix, "logs", "access.log")).Where(line => !line.Contains("\" 200 ", StringComparison.Ordinal)))
        {
            output.WriteLine("nginx: " + line);
        }

        Assert.All(slowResults, result => Assert.Equal(HttpStatusCode.OK, result.Status));
        Assert.Contains(slowResults, result => result.Instance == leaving); // it really had requests in flight, and finished them
        Assert.DoesNotContain(answers, answer => answer.At > unroutedAt && answer.Instance == leaving);
        Assert.Contains(answers, answer => answer.At > unroutedAt);
        Assert.Equal(0, wrkResult.Failed);
        Assert.Empty(nginx.WorkerPids().Except(workers)); // no reload: it would have started new workers

        await stopRenderer.CancelAsync();
        Assert.Equal(0, await renderer.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    internal static RendererConfig RendererConfig(NodeAgentTestHarness harness, NginxTestServer nginx) => new(
        "lb1",
        new ConsulConnectionConfig(harness.Server.HttpAddress, null, null, null),
        ConsulRetryConfig.Default,
        "discovery",
        new QuiescenceWait(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)),
        [
            TemplateConfig.ForNginx(
                Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "upstreams.ctmpl"),
                nginx.UpstreamsFile,
                new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile)) with { Routed = false },
            TemplateConfig.ForPeers(
                Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "peers.ctmpl"),
                nginx.PeersFile,
                new PeerPushConfig(nginx.PeersEndpoint, nginx.PushSecretFile, nginx.PidFile, PeerPushConfig.DefaultRequestTimeout, PeerPushConfig.DefaultVerifyInterval),
                new QuiescenceWait(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250))),
        ],
        null,
        Discovery.Core.Rendering.Catalog.OutageGuard.DefaultSettle,
        LogLevel: null);

    private static async Task<IReadOnlyList<string>> RoutedAsync(NodeAgentTestHarness harness)
    {
        var pair = (await harness.Consul.KV.GetAsync(Routed)).Value;
        if (pair is null)
        {
            return [];
        }

        using var json = JsonDocument.Parse(pair.ValueAsString()!);
        return [.. json.RootElement.GetProperty("instances").EnumerateArray().Select(id => id.GetString()!)];
    }

    /// <summary>One request through nginx; which instance answered (the sample app names itself in its JSON).</summary>
    private static async Task<(HttpStatusCode Status, string Instance)> GetAsync(NginxTestServer nginx, string path)
    {
        using var response = await Http.GetAsync(new Uri(nginx.BaseAddress, path));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, body);
        }

        using var json = JsonDocument.Parse(body);
        return (response.StatusCode, json.RootElement.GetProperty("instance").GetString()!);
    }

    private static async Task PollAsync(NginxTestServer nginx, ConcurrentQueue<(long At, string Instance)> answers, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var sentAt = Stopwatch.GetTimestamp();
            var (status, instance) = await GetAsync(nginx, "/");
            answers.Enqueue((sentAt, status == HttpStatusCode.OK ? instance : $"{(int)status}"));
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
