using System.Diagnostics;
using System.Globalization;
using Discovery.Bench.Lab;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Commands;
using Discovery.Testing.Load;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Churn;

/// <summary>
/// <c>churn</c> (issue 13): wrk at a fixed rate through the lab's nginx, keep-alive connections that
/// never retry, while the instance set changes every second for a minute — scale up, kill -9 of an
/// instance, scale down (the node agents drain) — through the real lab (Consul, node agents,
/// scaler, renderer, nginx). Prints requests, failed requests, p99, nginx reloads, peer pushes and
/// structural changes. Then the same churn again as a reference, with one nginx reload for every
/// peer push: what the renderer did before issue 13.
/// Options: --seconds 60 --rate 550 --connections 8 --no-reference.
/// </summary>
internal static class ChurnBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = ChurnOptions.Parse(args);
        if (BenchLab.FindBuild("churn") is not { } build)
        {
            return 2;
        }

        await using var lab = await BenchLab.StartAsync(build.Agent, [], cancellationToken);
        if (lab is null)
        {
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"churn: lab up in {lab.UpTime.TotalSeconds:0.0} s at {lab.AppUrl}; wrk {options.Connections} keep-alive connections at ~{options.Rate} rps for {options.Seconds} s per phase; an instance change every second"));
        var phases = new List<ChurnPhaseResult>
        {
            await RunPhaseAsync(lab, options, "peer pushes (issue 13)", reloadOnPush: false, cancellationToken),
        };
        if (options.Reference)
        {
            phases.Add(await RunPhaseAsync(lab, options, "reference: reload per change", reloadOnPush: true, cancellationToken));
        }

        Console.WriteLine();
        Console.WriteLine("| phase | requests | rps | failed | socket errors (c/r/w/t) | non-2xx | p99 ms | nginx reloads | peer pushes | structural changes | instance changes |");
        Console.WriteLine("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var phase in phases)
        {
            var wrk = phase.Wrk;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {phase.Name} | {wrk.Requests} | {wrk.RequestsPerSecond:0} | {wrk.Failed} | {wrk.ConnectErrors}/{wrk.ReadErrors}/{wrk.WriteErrors}/{wrk.Timeouts} | {wrk.Non2xx} | {wrk.P99.TotalMilliseconds:0.0} | {phase.Reloads} | {phase.Pushes} | {phase.StructuralChanges} | {phase.Actions} |"));
        }

        var main = phases[0];
        var reference = phases.Count > 1 ? string.Create(CultureInfo.InvariantCulture, $"; reference with a reload per change: {phases[1].Wrk.Failed} failed of {phases[1].Wrk.Requests} ({phases[1].Reloads} reloads)") : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"churn: {main.Wrk.Failed} failed of {main.Wrk.Requests} requests at {main.Wrk.RequestsPerSecond:0} rps over {options.Seconds} s (p99 {main.Wrk.P99.TotalMilliseconds:0.0} ms), " +
            $"{main.Reloads} nginx reloads for {main.StructuralChanges} structural changes, {main.Pushes} peer updates without reload, {main.Actions} instance changes{reference}"));
        return main.Wrk.Failed == 0 && main.Reloads == main.StructuralChanges ? 0 : 1;
    }

    private static async Task<ChurnPhaseResult> RunPhaseAsync(BenchLab lab, ChurnOptions options, string name, bool reloadOnPush, CancellationToken cancellationToken)
    {
        await lab.ScaleAndWaitAsync(3, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // settled: no push in flight
        var (reloadsBefore, pushesBefore, installsBefore) = (lab.NginxReloads(), lab.PeerPushes(), lab.StructuralChanges());
        Console.WriteLine($"-- {name}");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var duration = TimeSpan.FromSeconds(options.Seconds);
        var wrk = Wrk.RunAsync(new WrkOptions(lab.AppUrl, options.Connections, duration, options.Rate), cancellationToken);
        var driver = new ChurnDriver(lab);
        var benchReloads = reloadOnPush ? ReloadOnEveryPushAsync(lab, pushesBefore, stop.Token) : Task.FromResult(0);
        var clock = Stopwatch.StartNew();
        var actions = 0;
        while (clock.Elapsed < duration - TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(actions + 1) - clock.Elapsed, cancellationToken);
            var what = await driver.NextAsync(cancellationToken);
            actions++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {clock.Elapsed.TotalSeconds,5:0.0}s  {what}"));
        }

        var result = await wrk;
        await stop.CancelAsync();
        var extraReloads = await benchReloads;
        return new ChurnPhaseResult(
            name,
            result,
            lab.NginxReloads() - reloadsBefore + extraReloads,
            lab.PeerPushes() - pushesBefore,
            lab.StructuralChanges() - installsBefore,
            actions);
    }

    /// <summary>The reference: reload the lab's nginx once for every peer push the renderer logs, as a reload-per-change renderer would.</summary>
    private static async Task<int> ReloadOnEveryPushAsync(BenchLab lab, int pushesBefore, CancellationToken stop)
    {
        var nginx = new NginxController(new NginxControlConfig(
            ToolPaths.Nginx, lab.NginxPrefix, Path.Combine(lab.NginxPrefix, "conf", "nginx.conf"), TimeSpan.FromSeconds(10), NginxControlConfig.DefaultPidFile(lab.NginxPrefix)));
        var seen = pushesBefore;
        var reloads = 0;
        while (!stop.IsCancellationRequested)
        {
            var pushes = lab.PeerPushes();
            for (; seen < pushes; seen++)
            {
                if ((await nginx.ReloadAsync(CancellationToken.None)).Succeeded)
                {
                    reloads++;
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return reloads;
    }
}
