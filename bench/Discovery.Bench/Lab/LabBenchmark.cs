using System.Diagnostics;
using System.Globalization;
using System.Net;
using Discovery.Core.Load;
using Discovery.Testing.Load;
using Discovery.Testing.Network;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Lab;

/// <summary>
/// <c>lab</c>: how fast the whole local lab comes up, and how fast <c>scale --to 5 --wait</c>
/// (1 → 5 instances passing AND routed by nginx) completes, next to the sample app's own cold
/// start (process start → /health 200), the floor any scale-up pays.
/// A wrk keep-alive load and the agent's own load (keep-alive losses counted as failures) run
/// through nginx the whole time; their failed requests are printed.
/// Options: --rounds 5. Uses its own lab dir and base address, so a running lab is untouched.
/// </summary>
internal static class LabBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        if (BenchLab.FindBuild("lab") is not { } build)
        {
            return 2;
        }

        // The floor of a scale-up: one instance alone, and four at once (1 → 5 starts four on 2 cores).
        var coldStarts = new List<double>();
        var parallelStarts = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            coldStarts.Add(await ColdStartAsync(build.WebApp, cancellationToken));
            parallelStarts.Add((await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => ColdStartAsync(build.WebApp, cancellationToken)))).Max());
        }

        var lab = await BenchLab.StartAsync(build.Agent, [], cancellationToken);
        if (lab is null)
        {
            return 1;
        }

        var scaleTimes = new List<double>();
        WrkResult wrk;
        LoadSnapshot load;
        await using (lab)
        {
            // Clients the whole time, counted honestly (issue 13): wrk's keep-alive connections never
            // retry; the agent's own load counts what HttpClient would hide as failures.
            using var stopLoad = new CancellationTokenSource();
            var wrkRun = Wrk.RunSeriesAsync(new WrkOptions(lab.AppUrl, Connections: 2, TimeSpan.FromSeconds(10), RequestsPerSecond: 20), stopLoad.Token);
            var loadRun = new LoadSeries(new LoadOptions(lab.AppUrl, 600, TimeSpan.FromSeconds(10), 8), 8, TimeProvider.System).RunAsync(stopLoad.Token);
            for (var round = 0; round < rounds; round++)
            {
                await lab.ScaleAndWaitAsync(1, cancellationToken);
                var clock = Stopwatch.StartNew();
                await lab.ScaleAndWaitAsync(5, cancellationToken);
                scaleTimes.Add(clock.Elapsed.TotalSeconds);
            }

            await stopLoad.CancelAsync();
            wrk = await wrkRun;
            load = await loadRun;
        }

        Console.WriteLine($"{"round",5}  {"app cold start (s)",18}  {"4 at once (s)",13}  {"scale 1→5 routed (s)",20}");
        for (var round = 0; round < rounds; round++)
        {
            Console.WriteLine($"{round + 1,5}  {coldStarts[round],18:0.00}  {parallelStarts[round],13:0.00}  {scaleTimes[round],20:0.00}");
        }

        var coldMedian = Median(coldStarts);
        var parallelMedian = Median(parallelStarts);
        var scaleMedian = Median(scaleTimes);
        Console.WriteLine($"{"median",5}  {coldMedian,18:0.00}  {parallelMedian,13:0.00}  {scaleMedian,20:0.00}");
        Console.WriteLine($"load during the rounds: wrk {wrk}");
        Console.WriteLine(FormattableString.Invariant(
            $"load during the rounds: agent load sent {load.Sent}, ok {load.Ok}, failed {load.Failed} (keep-alive losses counted as failures: {load.KeepAliveLosses})"));
        Console.WriteLine(FormattableString.Invariant(
            $"lab: up {lab.UpTime.TotalSeconds:0.0} s; scale 1->5 routed median {scaleMedian:0.00} s; app cold start median {coldMedian:0.00} s (4 at once {parallelMedian:0.00} s); ratio {scaleMedian / coldMedian:0.0}; failed requests: wrk {wrk.Failed}, agent load {load.Failed}"));
        return 0;
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
