using System.Diagnostics;
using System.Globalization;
using System.Net;
using Discovery.Consul;
using Discovery.Core.Lab;
using Discovery.Core.Scaling.Operations;
using Discovery.Testing.Network;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Lab;

/// <summary>
/// <c>lab</c>: how fast the whole local lab comes up, and how fast <c>scale --to 5 --wait</c>
/// (1 → 5 instances passing AND routed by nginx) completes, next to the sample app's own cold
/// start (process start → /health 200), the floor any scale-up pays.
/// Options: --rounds 5. Uses its own lab dir and base address, so a running lab is untouched.
/// </summary>
internal static class LabBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var agent = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", configuration, "net10.0", "agent.dll");
        var webApp = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.WebApp", "bin", configuration, "net10.0", "Discovery.WebApp.dll");
        foreach (var file in new[] { agent, webApp })
        {
            if (!File.Exists(file))
            {
                Console.Error.WriteLine($"lab: {file} is missing; build first: dotnet build Discovery.sln -c {configuration}");
                return 2;
            }
        }

        var coldStarts = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            coldStarts.Add(await ColdStartAsync(webApp, cancellationToken));
        }

        var labDir = Directory.CreateTempSubdirectory("discovery-lab-bench-").FullName;
        var baseAddress = $"127.0.{Random.Shared.Next(150, 250)}";
        var up = Stopwatch.StartNew();
        await using (var labUp = ChildProcess.StartDotnetApp(agent, ["lab", "up", "--detach", "--lab-dir", labDir, "--base-address", baseAddress]))
        {
            var exit = await labUp.WaitForExitAsync(TimeSpan.FromMinutes(4), cancellationToken);
            if (exit != 0)
            {
                Console.Error.WriteLine($"lab up failed ({exit}):\n{labUp.StandardError}\n{labUp.StandardOutput}");
                return 1;
            }
        }

        var upSeconds = up.Elapsed.TotalSeconds;
        var scaleTimes = new List<double>();
        try
        {
            if (!OperatorEnvironment.TryLoad(labDir, out var operatorEnvironment))
            {
                Console.Error.WriteLine("lab: no operator.env in the lab dir");
                return 1;
            }

            using var consul = new ConsulClient(new ConsulClientOptions
            {
                Address = operatorEnvironment.Address,
                Token = (await File.ReadAllTextAsync(operatorEnvironment.TokenFile, cancellationToken)).Trim(),
            });
            var scale = new ScaleOperation(consul, "discovery");
            for (var round = 0; round < rounds; round++)
            {
                await ScaleAsync(scale, 1, cancellationToken);
                var clock = Stopwatch.StartNew();
                await ScaleAsync(scale, 5, cancellationToken);
                scaleTimes.Add(clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            await using var down = ChildProcess.StartDotnetApp(agent, ["lab", "down", "--lab-dir", labDir]);
            await down.WaitForExitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        }

        Console.WriteLine($"{"round",5}  {"app cold start (s)",18}  {"scale 1→5 routed (s)",20}");
        for (var round = 0; round < rounds; round++)
        {
            Console.WriteLine($"{round + 1,5}  {coldStarts[round],18:0.00}  {scaleTimes[round],20:0.00}");
        }

        var coldMedian = Median(coldStarts);
        var scaleMedian = Median(scaleTimes);
        Console.WriteLine($"{"median",5}  {coldMedian,18:0.00}  {scaleMedian,20:0.00}");
        Console.WriteLine(FormattableString.Invariant(
            $"lab: up {upSeconds:0.0} s; scale 1->5 routed median {scaleMedian:0.00} s; app cold start median {coldMedian:0.00} s; ratio {scaleMedian / coldMedian:0.0}"));
        return 0;
    }

    private static async Task ScaleAsync(ScaleOperation scale, int count, CancellationToken cancellationToken)
    {
        // A short hold keeps the autoscaler (no load here: it would scale down) away during the measurement.
        var set = await scale.ScaleAsync("web", count.ToString(CultureInfo.InvariantCulture), TimeSpan.FromMinutes(2), force: false, "lab benchmark", cancellationToken);
        var done = set.Succeeded ? await scale.WaitAsync("web", count, TimeSpan.FromMinutes(2), null, cancellationToken) : set;
        if (!done.Succeeded)
        {
            throw new InvalidOperationException($"scale to {count} failed: {done.Message}");
        }
    }

    private static async Task<double> ColdStartAsync(string webApp, CancellationToken cancellationToken)
    {
        var address = LoopbackAddress.Allocate();
        var port = LoopbackAddress.FreePort(address);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        await using var app = ChildProcess.StartDotnetApp(webApp, ["--port", port.ToString(CultureInfo.InvariantCulture), "--address", address.ToString()]);
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{address}:{port}/health"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalSeconds;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(10, cancellationToken);
        }

        throw new TimeoutException("the sample app did not become healthy within 30 s");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
