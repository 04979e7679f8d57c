using System.Diagnostics;
using System.Globalization;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Startup;

/// <summary>
/// <c>agent-startup</c>: how long a short `agent` command takes from start to exit (a stopwatch
/// around the process) and its peak RSS (GNU time's <c>%M</c>, from the kernel), for the JIT build
/// (dotnet + the Release agent.dll), the native executable (scripts/publish-agent) and, with
/// <c>--also PATH</c>, any other agent.dll or executable (e.g. a ReadyToRun publish).
/// Options: --runs 10 (median reported).
/// </summary>
internal static class AgentStartupBenchmark
{
    private const string GnuTime = "/usr/bin/time";

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var runs = 10;
        var variants = new List<(string Label, string Path)>
        {
            ("JIT dotnet agent.dll", Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", "Release", "net10.0", "agent.dll")),
            ("native agent", Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", "native", "agent")),
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--runs":
                    runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--also":
                    variants.Add((Path.GetFileName(args[i + 1]), Path.GetFullPath(args[i + 1])));
                    break;
                default:
                    Console.Error.WriteLine($"agent-startup: unknown option {args[i]} (use --runs N, --also PATH)");
                    return 2;
            }
        }

        if (!File.Exists(GnuTime) || variants.FirstOrDefault(variant => !File.Exists(variant.Path)) is { Path: not null } missing)
        {
            Console.Error.WriteLine($"agent-startup: needs {GnuTime} and every agent (build Release, run scripts/publish-agent)");
            return 2;
        }

        string[][] commands = [["--help"], ["lab", "status", "--lab-dir", Path.Combine(Path.GetTempPath(), "no-such-lab")]];
        Console.WriteLine($"{"agent",-24} {"command",-16} {"median ms",9} {"peak RSS MiB",12}");
        var summary = new List<string>();
        foreach (var (label, path) in variants)
        {
            foreach (var command in commands)
            {
                var samples = new List<(double Seconds, double KiB)>();
                for (var run = 0; run < runs; run++)
                {
                    samples.Add(await TimeOneAsync(path, command, cancellationToken));
                }

                var ms = Median(samples.Select(sample => sample.Seconds * 1000));
                var mib = Median(samples.Select(sample => sample.KiB / 1024));
                Console.WriteLine(FormattableString.Invariant($"{label,-24} {string.Join(' ', command.Take(2)),-16} {ms,9:0} {mib,12:0.0}"));
                if (command[0] == "--help")
                {
                    summary.Add(FormattableString.Invariant($"{label} {ms:0} ms / {mib:0.0} MiB"));
                }
            }
        }

        Console.WriteLine($"agent-startup: --help median of {runs}: {string.Join("; ", summary)}");
        return 0;
    }

    /// <summary>One run under GNU time: elapsed seconds, and the maximum resident set (KiB) from time's last stderr line.</summary>
    private static async Task<(double Seconds, double KiB)> TimeOneAsync(string agent, string[] command, CancellationToken cancellationToken)
    {
        string[] run = agent.EndsWith(".dll", StringComparison.Ordinal) ? ["dotnet", agent, .. command] : [agent, .. command];
        var clock = Stopwatch.StartNew();
        await using var process = ChildProcess.Start(GnuTime, ["-f", "%M", .. run]);
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        var elapsed = clock.Elapsed.TotalSeconds;
        var kib = process.StandardError.TrimEnd().Split('\n')[^1];
        return (elapsed, double.Parse(kib, CultureInfo.InvariantCulture));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
