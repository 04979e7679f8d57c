using System.Diagnostics;
using System.Globalization;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Testing.Consul;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Bench.IdleAgent;

/// <summary>
/// An idle node agent with three sample-app instances against a real dev-mode Consul: the agent's
/// RSS and CPU, and its Consul requests per minute. The agent runs inside this process (the CLI
/// does not exist yet), so RSS includes the runtime and this harness; CPU is the process's own
/// processor-time delta. Instances are separate processes and not counted.
/// Usage: idle-agent [--seconds 60]
/// </summary>
internal static class IdleAgentBenchmark
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var seconds = args is ["--seconds", var text] ? int.Parse(text, CultureInfo.InvariantCulture) : 60;
        var webApp = FindWebApp();
        await using var consul = await ConsulTestServer.StartAsync();
        var dataDir = Directory.CreateTempSubdirectory("discovery-bench-idle-").FullName;
        var address = LoopbackAddress.Allocate();
        var app = new AppConfig("web", "1", "dotnet",
            [webApp, "--port", "{port}", "--address", "{address}", "--app", "{app}", "--node", "{node}", "--instance", "{instance}"],
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }, null, new PortRange(19000, 19049),
            HealthCheckConfig.Default, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), RestartPolicyConfig.Default, 3, AppConfig.DefaultLogMaxBytes,
            AppConfig.DefaultPassEnv, null);
        var config = new NodeAgentConfig("bench", new ConsulConnectionConfig(consul.HttpAddress, null, null, null), dataDir, address.ToString(), [app]);
        var counter = new CountingHandler();
        var runtime = await NodeAgentRuntime.StartAsync(config, NodeAgentOptions.Default, NullLoggerFactory.Instance, TimeProvider.System, counter, cancellationToken);
        try
        {
            using var client = consul.CreateClient();
            var ready = Stopwatch.StartNew();
            while ((await client.Health.ServiceAsync("web", passingOnly: true)).Value.Count < 3)
            {
                if (ready.Elapsed > TimeSpan.FromSeconds(60))
                {
                    await Console.Error.WriteLineAsync("idle-agent: three instances did not pass within 60s");
                    return 1;
                }

                await Task.Delay(200);
            }

            Console.WriteLine($"idle-agent: 3 instances passing after {ready.Elapsed.TotalSeconds:F1}s; measuring {seconds}s idle");
            Console.WriteLine($"{"t (s)",6} {"RSS MiB",8} {"CPU % (1 core)",15} {"Consul req",11} {"blocking",9}");
            using var self = Process.GetCurrentProcess();
            var startCpu = self.TotalProcessorTime;
            var startRequests = counter.Total;
            var startBlocking = counter.Blocking;
            var clock = Stopwatch.StartNew();
            var lastCpu = startCpu;
            var lastAt = TimeSpan.Zero;
            var peakRss = 0L;
            var samples = (int)Math.Ceiling(seconds / SampleEvery.TotalSeconds);
            for (var sample = 1; sample <= samples; sample++)
            {
                var target = TimeSpan.FromSeconds(Math.Min(sample * SampleEvery.TotalSeconds, seconds));
                if (target > clock.Elapsed)
                {
                    await Task.Delay(target - clock.Elapsed);
                }

                self.Refresh();
                var now = clock.Elapsed;
                var cpu = self.TotalProcessorTime;
                peakRss = Math.Max(peakRss, self.WorkingSet64);
                Console.WriteLine($"{now.TotalSeconds,6:F0} {self.WorkingSet64 / 1048576.0,8:F1} {100 * (cpu - lastCpu) / (now - lastAt),15:F2} {counter.Total - startRequests,11} {counter.Blocking - startBlocking,9}");
                lastCpu = cpu;
                lastAt = now;
            }

            var minutes = clock.Elapsed.TotalMinutes;
            var cpuPercent = 100 * (self.TotalProcessorTime - startCpu) / clock.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"idle-agent summary: 3 instances, {clock.Elapsed.TotalSeconds:F0}s: peak RSS {peakRss / 1048576.0:F1} MiB, CPU {cpuPercent:F2}% of one core, Consul requests {(counter.Total - startRequests) / minutes:F1}/min ({(counter.Blocking - startBlocking) / minutes:F1}/min blocking)"));
            return 0;
        }
        finally
        {
            await runtime.StopAsync(stopInstances: true, cancellationToken);
            await runtime.DisposeAsync();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static string FindWebApp()
    {
        var candidates = new[] { "Release", "Debug" }
            .Select(configuration => Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.WebApp", "bin", configuration, "net10.0", "Discovery.WebApp.dll"))
            .Where(File.Exists)
            .ToList();
        return candidates.Count > 0
            ? candidates[0]
            : throw new InvalidOperationException("Discovery.WebApp.dll not found; run `dotnet build src/Discovery.WebApp` first");
    }
}
