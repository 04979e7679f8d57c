using System.Diagnostics;
using System.Globalization;
using System.Net;
using Discovery.Consul.Agent;
using Discovery.Consul.Queries;
using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Health;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Templating;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Http;
using Discovery.Testing.Network;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Bench.Rendering;

/// <summary>
/// removal-latency: real Consul, the built-in renderer (wait 200ms/1s, as the lab runs it), real
/// nginx and two real backends with a 1 s HTTP health check. Each trial flips one backend's
/// /health to 503 and measures until nginx no longer sends it requests (10 requests in a row on
/// fresh connections all answered by the other backend), then restores it.
/// </summary>
internal static class RemovalLatencyBenchmark
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);
    private const int ConsecutiveToConfirm = 10;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        await using var consul = await ConsulTestServer.StartAsync();
        await using var nginx = await NginxTestServer.StartAsync();
        using var client = consul.CreateClient();
        var address = LoopbackAddress.Allocate();
        var ports = LoopbackAddress.FreePorts(address, 2);
        await using var victim = await TestBackend.StartAsync($"web-n1-{ports[0]}", address, ports[0]);
        await using var survivor = await TestBackend.StartAsync($"web-n2-{ports[1]}", address, ports[1]);
        foreach (var backend in new[] { victim, survivor })
        {
            await client.Agent.RegisterServiceAsync(new ServiceRegistration
            {
                ID = backend.Name,
                Name = "web",
                Address = address.ToString(),
                Port = backend.Port,
                Tags = ["discovery"],
                Checks = [new CheckDefinition { Name = "health", Http = $"http://{address}:{backend.Port}/health", Interval = CheckInterval, Timeout = TimeSpan.FromMilliseconds(500) }],
            });
        }

        var upstreams = TemplateConfig.ForNginx(
            Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "upstreams.ctmpl"),
            nginx.UpstreamsFile,
            new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile));
        // As the labs run it: the peer set has its own short wait and is pushed, never reloaded.
        var peersWait = new QuiescenceWait(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250));
        var peers = TemplateConfig.ForPeers(
            Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "peers.ctmpl"),
            nginx.PeersFile,
            new PeerPushConfig(nginx.PeersEndpoint, nginx.PushSecretFile, nginx.PidFile, PeerPushConfig.DefaultRequestTimeout, PeerPushConfig.DefaultVerifyInterval),
            peersWait);
        var config = new RendererConfig(
            "bench", new ConsulConnectionConfig(consul.HttpAddress, null, null, null), ConsulRetryConfig.Default, "discovery",
            QuiescenceWait.Default, [upstreams with { Routed = false }, peers], null, OutageGuard.DefaultSettle, null);
        await using var data = new ConsulTemplateDataSource(client, QueryOptions.Default, null, null, NullLogger.Instance, TimeProvider.System);
        var service = new RendererService(
            RendererHost.CreateJobs(config, RenderMode.Daemon), data, config.Wait, new RoutedInstancesPublisher(client, config.Prefix, config.Name!, TimeProvider.System),
            new RendererHealth([(upstreams.Source, upstreams.Destination), (peers.Source, peers.Destination)]), null, RenderEnvironment.System, NullLogger.Instance, TimeProvider.System);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = Task.Run(() => service.RunAsync(stop.Token));

        Console.WriteLine($"removal-latency: {trials} trials, HTTP check interval {CheckInterval.TotalSeconds:F0} s, peer set pushed with wait {peersWait.Min.TotalMilliseconds:F0}ms/{peersWait.Max.TotalMilliseconds:F0}ms (structure {config.Wait.Min.TotalMilliseconds:F0}ms/{config.Wait.Max.TotalMilliseconds:F0}ms), nginx {nginx.BaseAddress}");
        Console.WriteLine("| trial | removed after s |");
        Console.WriteLine("|---:|---:|");
        var latencies = new List<double>();
        // A reload starts new workers; without one the worker set only shrinks (old workers of the
        // start-up structure install finishing). Taken from trial 2, after that install.
        IReadOnlySet<int>? workers = null;
        var reloaded = false;
        try
        {
            for (var trial = 1; trial <= trials; trial++)
            {
                if (trial > 1)
                {
                    var now = nginx.WorkerPids();
                    reloaded |= workers is not null && now.Except(workers).Any();
                    workers ??= now;
                }

                victim.Healthy = true;
                await WaitUntilAsync(async () => (await SampleAsync(nginx, 8)).Contains(victim.Name), TimeSpan.FromSeconds(30), "victim routed again");
                await Task.Delay(Random.Shared.Next(0, 1000)); // any phase of the check interval

                var clock = Stopwatch.StartNew();
                victim.Healthy = false;
                var removedAt = await WaitForRemovalAsync(nginx, victim.Name, clock, TimeSpan.FromSeconds(30));
                latencies.Add(removedAt.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {trial} | {removedAt.TotalSeconds:F2} |"));
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await run;
            }
            catch (OperationCanceledException)
            {
            }
        }

        var p50 = Percentile(latencies, 0.50);
        var p95 = Percentile(latencies, 0.95);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"renderer counters: renders {service.Renders}, changes {service.Changes}, skips {service.Skips}, failures {service.Failures}; nginx reloaded during the trials: {(reloaded ? "yes" : "no")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"removal latency: p50 {p50:F2} s, p95 {p95:F2} s, max {latencies.Max():F2} s, p95/check interval {p95 / CheckInterval.TotalSeconds:F2}, check interval {CheckInterval.TotalSeconds:F0} s (target p95 <= {CheckInterval.TotalSeconds:F1} s)"));
        return 0;
    }

    /// <summary>Time from the flip to the first of <see cref="ConsecutiveToConfirm"/> requests in a row that avoided the victim.</summary>
    private static async Task<TimeSpan> WaitForRemovalAsync(NginxTestServer nginx, string victim, Stopwatch clock, TimeSpan timeout)
    {
        var streak = 0;
        var streakStart = TimeSpan.Zero;
        while (clock.Elapsed < timeout)
        {
            var sentAt = clock.Elapsed;
            await Task.Delay(10); // bounded polling: ~100 requests per second at most
            var (status, body) = await nginx.GetAsync("/", "web.bench");
            if (status == HttpStatusCode.OK && body == victim)
            {
                streak = 0;
                continue;
            }

            if (streak++ == 0)
            {
                streakStart = sentAt;
            }

            if (streak >= ConsecutiveToConfirm)
            {
                return streakStart;
            }
        }

        throw new TimeoutException($"{victim} still routed after {timeout.TotalSeconds} s");
    }

    private static async Task<HashSet<string>> SampleAsync(NginxTestServer nginx, int requests)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests; i++)
        {
            seen.Add((await nginx.GetAsync("/", "web.bench")).Body);
        }

        return seen;
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        Eventually.UntilAsync(condition, timeout, () => what);

    private static double Percentile(List<double> values, double fraction)
    {
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(fraction * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
