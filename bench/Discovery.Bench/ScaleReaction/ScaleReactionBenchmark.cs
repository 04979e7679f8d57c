using System.Diagnostics;
using System.Globalization;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.Durations;
using Discovery.Consul.Locking;
using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Service;
using Discovery.Core.Scaling.Sources;
using Discovery.Core.Scaling.Store;
using Discovery.Testing.Consul;
using Discovery.Testing.Nginx;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Bench.ScaleReaction;

/// <summary>
/// <c>scale-reaction</c>: steps the offered load on a real nginx from below the step policy's
/// lower threshold to above its upper one and back, with the real scaler (stub_status source,
/// leader lock, real Consul) deciding. Measures step → first scale-up decision, → reaching the
/// target count, and step down → first scale-down and → back at min. Decisions only: instances
/// are not started (that needs node agents; run it on the lab for "passing" times).
/// Options: --scrape 5s --window 60s --eval 10s --up-cooldown 30s --down-cooldown 60s
/// --stabilization 120s --low-rpm 30 --high-rpm 250 --max 3 --phase-limit 10m.
/// </summary>
internal static class ScaleReactionBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = ParseOptions(args);
        if (options is null)
        {
            return 2;
        }

        var policy = ScalingPolicy.Default with
        {
            Max = options.Max,
            EvaluationInterval = options.Eval,
            ScaleUpCooldown = options.UpCooldown,
            ScaleDownCooldown = options.DownCooldown,
            ScaleDownStabilization = options.Stabilization,
        };
        await using var consulServer = await ConsulTestServer.StartAsync(null, null, cancellationToken);
        using var consul = consulServer.CreateClient();
        await using var nginx = await StubStatusNginx.StartAsync();
        await consul.Agent.RegisterServiceAsync(new ServiceRegistration { ID = "lb-bench", Name = "lb", Port = nginx.BaseAddress.Port, Meta = new Dictionary<string, string> { ["stub_status"] = nginx.StubStatusUrl.ToString() } }, cancellationToken: cancellationToken);
        await consul.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "discovery-agent-" + consulServer.NodeName,
            Name = "discovery-agent",
            Meta = new Dictionary<string, string> { ["apps"] = "web" },
            Checks = [new CheckDefinition { Name = "alive", Ttl = TimeSpan.FromHours(1), Status = "passing" }],
        }, cancellationToken: cancellationToken);

        var config = new ScalerConfig("bench", new ConsulConnectionConfig(consulServer.HttpAddress, null, null, null), "discovery",
            new ScalerMetricsConfig(options.Scrape, options.Window, TimeSpan.FromSeconds(2)), ScalerLockConfig.Default, [new ScalerAppConfig("web", policy)]);
        using var http = new HttpClient();
        var source = new StubStatusMetricSource(consul, http, StubStatusSourceOptions.For(options.Scrape, options.Window, TimeSpan.FromSeconds(2)), TimeProvider.System, NullLogger<StubStatusMetricSource>.Instance);
        var service = new ScalerService(config, consul,
            key => new ConsulLeaderLock(consul, new LeaderLockOptions { Key = key }, null, TimeProvider.System),
            [source], TimeProvider.System, NullLoggerFactory.Instance);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var rate = new OfferedRate(options.LowRpm);
        var scraping = source.RunAsync(() => service.LeadsAnyApp, stop.Token);
        var scaling = service.RunAsync(stop.Token);
        var load = GenerateLoadAsync(http, nginx.BaseAddress, rate, stop.Token);
        var keys = new ScalerKeys("discovery", "web");
        var results = new List<(string What, TimeSpan? Took)>();
        try
        {
            Console.WriteLine($"warm-up at {options.LowRpm} rpm for the {GoDuration.Format(options.Window)} window …");
            await Task.Delay(options.Window + options.Scrape, cancellationToken);
            var countBefore = await DesiredAsync(consul, keys, cancellationToken) ?? policy.Min;
            var target = Math.Min(options.Max, (int)Math.Ceiling(options.HighRpm / policy.UpperRpm));

            Console.WriteLine($"step up to {options.HighRpm} rpm (count {countBefore}, expecting {target}) …");
            rate.Rpm = options.HighRpm;
            var up = Stopwatch.StartNew();
            results.Add(("step up → first scale-up decision", await WaitForAsync(consul, keys, c => c > countBefore, options.PhaseLimit, cancellationToken) ? up.Elapsed : null));
            results.Add(($"step up → desired {target}", await WaitForAsync(consul, keys, c => c >= target, options.PhaseLimit, cancellationToken) ? up.Elapsed : null));

            Console.WriteLine($"step down to {options.LowRpm} rpm …");
            var high = await DesiredAsync(consul, keys, cancellationToken) ?? target;
            rate.Rpm = options.LowRpm;
            var down = Stopwatch.StartNew();
            results.Add(("step down → first scale-down decision", await WaitForAsync(consul, keys, c => c < high, options.PhaseLimit, cancellationToken) ? down.Elapsed : null));
            results.Add(($"step down → back at min {policy.Min}", await WaitForAsync(consul, keys, c => c <= policy.Min, options.PhaseLimit, cancellationToken) ? down.Elapsed : null));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(Swallow(scraping), Swallow(scaling), Swallow(load));
        }

        Console.WriteLine();
        Console.WriteLine($"| scale-reaction (scrape {GoDuration.Format(options.Scrape)}, window {GoDuration.Format(options.Window)}, eval {GoDuration.Format(options.Eval)}, up-cooldown {GoDuration.Format(options.UpCooldown)}, down-cooldown {GoDuration.Format(options.DownCooldown)}, stabilization {GoDuration.Format(options.Stabilization)}) | seconds |");
        Console.WriteLine("|---|---|");
        foreach (var (what, took) in results)
        {
            Console.WriteLine($"| {what} | {(took is { } t ? t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) : "timed out")} |");
        }

        Console.WriteLine("| reference: HPA defaults | 15 s sync period, 300 s scale-down stabilization |");
        Console.WriteLine("| reference: nomad-autoscaler defaults | 10 s evaluation interval, 5 m cooldown |");
        var failed = results.Count(r => r.Took is null);
        Console.WriteLine($"scale-reaction: {results.Count - failed} of {results.Count} transitions observed");
        return failed == 0 ? 0 : 1;
    }

    private static async Task<bool> WaitForAsync(ConsulClient consul, ScalerKeys keys, Func<int, bool> condition, TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (await DesiredAsync(consul, keys, cancellationToken) is { } count && condition(count))
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private static async Task<int?> DesiredAsync(ConsulClient consul, ScalerKeys keys, CancellationToken cancellationToken) =>
        AppSnapshot.ParseCount((await consul.KV.GetAsync(keys.Desired, cancellationToken: cancellationToken)).Value?.ValueAsString());

    /// <summary>Sends requests at the current offered rate; bounded by cancellation and one request in flight.</summary>
    private static async Task GenerateLoadAsync(HttpClient http, Uri target, OfferedRate rate, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            using (var response = await http.GetAsync(target, cancellationToken))
            {
                response.EnsureSuccessStatusCode();
            }

            var gap = TimeSpan.FromMinutes(1) / Math.Max(rate.Rpm, 1) - Stopwatch.GetElapsedTime(started);
            if (gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, cancellationToken);
            }
        }
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // stopped by the benchmark
        }
    }

    private static ScaleReactionOptions? ParseOptions(string[] args)
    {
        var options = new ScaleReactionOptions();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            bool ok = true;
            TimeSpan Duration() => GoDuration.TryParse(value, out var d) && d > TimeSpan.Zero ? d : Fail(ref ok, TimeSpan.Zero);
            double Number() => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : Fail(ref ok, 0d);
            options = args[i] switch
            {
                "--scrape" => options with { Scrape = Duration() },
                "--window" => options with { Window = Duration() },
                "--eval" => options with { Eval = Duration() },
                "--up-cooldown" => options with { UpCooldown = Duration() },
                "--down-cooldown" => options with { DownCooldown = Duration() },
                "--stabilization" => options with { Stabilization = Duration() },
                "--phase-limit" => options with { PhaseLimit = Duration() },
                "--low-rpm" => options with { LowRpm = Number() },
                "--high-rpm" => options with { HighRpm = Number() },
                "--max" => options with { Max = (int)Number() },
                _ => Fail(ref ok, options),
            };
            if (!ok)
            {
                Console.Error.WriteLine($"scale-reaction: bad option {args[i]} {value}");
                return null;
            }
        }

        return options;
    }

    private static T Fail<T>(ref bool ok, T fallback)
    {
        ok = false;
        return fallback;
    }
}
