using Discovery.Consul;
using Discovery.Core.Lab;
using Discovery.Core.Scaling.Operations;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Lab;

/// <summary>
/// A detached local lab of the benchmarks' own (own lab dir, a spare 127.0.x base address, so a
/// running lab is untouched), started and stopped through the built <c>agent</c> exactly as an
/// operator would, with an operator Consul client. Dispose runs <c>lab down</c>.
/// </summary>
internal sealed class BenchLab : IAsyncDisposable
{
    private BenchLab(string agent, string directory, string baseAddress, ConsulClient consul, TimeSpan upTime)
    {
        Agent = agent;
        Directory = directory;
        BaseAddress = baseAddress;
        Consul = consul;
        UpTime = upTime;
        Scale = new ScaleOperation(consul, "discovery");
    }

    public string Agent { get; }

    public string Directory { get; }

    public string BaseAddress { get; }

    public ConsulClient Consul { get; }

    public ScaleOperation Scale { get; }

    /// <summary>How long <c>agent lab up --detach</c> took (healthy = node agents passing, a leader, instances routed).</summary>
    public TimeSpan UpTime { get; }

    /// <summary>Where clients reach the lab's nginx.</summary>
    public Uri AppUrl => new($"http://{BaseAddress}.5:{LabHost.LbPort}/");

    public string NginxPrefix => Path.Combine(Directory, "lb", "nginx");

    public string RendererLog => Path.Combine(Directory, "logs", "agent-render.log");

    /// <summary>The built agent.dll and sample app of this benchmark's configuration; null (with the reason printed) when missing.</summary>
    public static (string Agent, string WebApp)? FindBuild(string benchmark)
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var agent = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", configuration, "net10.0", "agent.dll");
        var webApp = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.WebApp", "bin", configuration, "net10.0", "Discovery.WebApp.dll");
        foreach (var file in new[] { agent, webApp })
        {
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"{benchmark}: {file} is missing; build first: dotnet build Discovery.sln -c {configuration}");
                return null;
            }
        }

        return (agent, webApp);
    }

    /// <summary>Runs <c>agent lab up --detach</c>; null (with the reason printed) when it failed.</summary>
    public static async Task<BenchLab?> StartAsync(string agent, IReadOnlyList<string> extraArguments, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("discovery-bench-lab-").FullName;
        var baseAddress = $"127.0.{Random.Shared.Next(150, 250)}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var up = ChildProcess.StartDotnetApp(agent, ["lab", "up", "--detach", "--lab-dir", directory, "--base-address", baseAddress, .. extraArguments]))
        {
            var exit = await up.WaitForExitAsync(TimeSpan.FromMinutes(4), cancellationToken);
            if (exit != 0)
            {
                Console.Error.WriteLine($"lab up failed ({exit}):\n{up.StandardError}\n{up.StandardOutput}");
                await StopAsync(agent, directory);
                return null;
            }
        }

        var upTime = clock.Elapsed;
        if (!OperatorEnvironment.TryLoad(directory, out var operatorEnvironment))
        {
            Console.Error.WriteLine("lab: no operator.env in the lab dir");
            await StopAsync(agent, directory);
            return null;
        }

        var consul = new ConsulClient(new ConsulClientOptions
        {
            Address = operatorEnvironment.Address,
            Token = (await File.ReadAllTextAsync(operatorEnvironment.TokenFile, cancellationToken)).Trim(),
        });
        return new BenchLab(agent, directory, baseAddress, consul, upTime);
    }

    /// <summary>Sets the count with a hold (the autoscaler stays away) and waits until that many are passing and routed.</summary>
    public async Task ScaleAndWaitAsync(int count, CancellationToken cancellationToken)
    {
        await SetCountAsync(count, cancellationToken);
        var done = await Scale.WaitAsync("web", count, TimeSpan.FromMinutes(2), null, cancellationToken);
        if (!done.Succeeded)
        {
            throw new InvalidOperationException($"scale to {count} failed: {done.Message}");
        }
    }

    /// <summary>Sets the count with a hold and returns at once.</summary>
    public async Task SetCountAsync(int count, CancellationToken cancellationToken)
    {
        var set = await Scale.ScaleAsync("web", count.ToString(System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(10), force: false, "benchmark", cancellationToken);
        if (!set.Succeeded)
        {
            throw new InvalidOperationException($"scale to {count} failed: {set.Message}");
        }
    }

    /// <summary>nginx reloads the renderer ran so far (its log: "Ran nginx -s reload", not the skipped ones while nginx was not running).</summary>
    public int NginxReloads() => CountRendererLogLines(line => line.Contains("Ran nginx -s reload", StringComparison.Ordinal) && !line.Contains("not running", StringComparison.Ordinal));

    /// <summary>Peer sets the renderer handed nginx so far (its log: the peer file installed).</summary>
    public int PeerPushes() => CountRendererLogLines(line => line.Contains("Installed " + Path.Combine(NginxPrefix, "peers", "peers.txt"), StringComparison.Ordinal));

    /// <summary>Structure changes installed so far (its log: upstreams.conf installed; each one reloads a running nginx).</summary>
    public int StructuralChanges() => CountRendererLogLines(line => line.Contains("Installed " + Path.Combine(NginxPrefix, "conf", "upstreams.conf"), StringComparison.Ordinal));

    private int CountRendererLogLines(Func<string, bool> match) => File.ReadLines(RendererLog).Count(match);

    public async ValueTask DisposeAsync()
    {
        Consul.Dispose();
        await StopAsync(Agent, Directory);
    }

    private static async Task StopAsync(string agent, string directory)
    {
        await using var down = ChildProcess.StartDotnetApp(agent, ["lab", "down", "--lab-dir", directory]);
        await down.WaitForExitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
    }
}
