using System.Diagnostics;
using System.Globalization;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Discovery.Core.Rendering.Templating;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Rendering;

/// <summary>
/// render-scale: what one instance change costs at 10 … 5,000 instances. The repository's
/// peers.ctmpl is rendered and handed to a real running nginx as the renderer does it (validate,
/// push (its answer is nginx's view), save; no reload). Each size runs several times with
/// different ports, so every round really pushes. (The structure, upstreams.ctmpl, changes only
/// when an app appears or goes; then nginx -t, swap and a reload follow, as before.)
/// </summary>
internal static class RenderScaleBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var sizes = args.Length > 0 ? args.Select(arg => int.Parse(arg, CultureInfo.InvariantCulture)).ToArray() : [10, 100, 1_000, 5_000];
        const int Rounds = 5;
        var templatePath = Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "peers.ctmpl");
        var template = CompiledTemplate.Parse(await File.ReadAllTextAsync(templatePath), templatePath);
        await using var nginx = await NginxTestServer.StartAsync();
        // The peer target as the renderer builds it: validate, compare with nginx's view, push, read back, save.
        var peers = TemplateConfig.ForPeers(templatePath, nginx.PeersFile,
            new PeerPushConfig(nginx.PeersEndpoint, nginx.PushSecretFile, nginx.PidFile, TimeSpan.FromSeconds(30), PeerPushConfig.DefaultVerifyInterval), null);
        var job = new RenderJob(0, peers, template, RendererHost.CreateTarget(peers, RenderMode.Daemon));
        var applier = new ChangeApplier(NullLogger.Instance);
        var workers = nginx.WorkerPids();

        Console.WriteLine($"render-scale: {Rounds} rounds per size, real nginx {ToolPaths.Nginx} (pid {nginx.MasterPid}), template {templatePath}");
        Console.WriteLine("| instances | apps | output KiB | render ms (median) | validate+push+save ms (median) | total ms (median, max) | allocated MiB / round | peak RSS MiB |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        var worstTotal = 0.0;
        foreach (var size in sizes)
        {
            var apps = Math.Clamp(size / 100, 1, 20);
            var renderMs = new List<double>();
            var installMs = new List<double>();
            var totalMs = new List<double>();
            var allocated = new List<long>();
            var outputBytes = 0;
            for (var round = 0; round < Rounds; round++)
            {
                var data = new FixtureDataSource(apps, size, 20_000 + (round * 1_000));
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var clock = Stopwatch.StartNew();
                var result = template.Render(data);
                var rendered = clock.Elapsed;
                var outcome = (await applier.ApplyAsync([(job, result.Output!)], cancellationToken))[0];
                var total = clock.Elapsed;
                allocated.Add(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
                if (!outcome.Changed)
                {
                    Console.Error.WriteLine($"size {size} round {round}: not installed: {outcome.Error}");
                    return 1;
                }

                outputBytes = result.Output!.Length;
                renderMs.Add(rendered.TotalMilliseconds);
                installMs.Add((total - rendered).TotalMilliseconds);
                totalMs.Add(total.TotalMilliseconds);
            }

            using var self = Process.GetCurrentProcess();
            worstTotal = Math.Max(worstTotal, Median(totalMs));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size:N0} | {apps} | {outputBytes / 1024.0:F0} | {Median(renderMs):F1} | {Median(installMs):F1} | {Median(totalMs):F1}, {totalMs.Max():F1} | {allocated.Average() / 1048576.0:F1} | {self.PeakWorkingSet64 / 1048576.0:F0} |"));
        }

        var reloaded = nginx.WorkerPids().Except(workers).Any();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"render-scale: largest size {sizes.Max():N0} instances, median render+push {worstTotal:F0} ms, nginx reloaded: {(reloaded ? "yes" : "no")}"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
