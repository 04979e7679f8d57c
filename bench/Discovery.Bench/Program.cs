using Discovery.Bench.Churn;
using Discovery.Bench.Failover;
using Discovery.Bench.IdleAgent;
using Discovery.Bench.IdleLab;
using Discovery.Bench.Lab;
using Discovery.Bench.PgFailover;
using Discovery.Bench.Rendering;
using Discovery.Bench.ScaleReaction;
using Discovery.Bench.Startup;

namespace Discovery.Bench;

/// <summary>Dispatches to one benchmark: <c>Discovery.Bench &lt;name&gt; [options]</c>. Each benchmark adds one line.</summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<string[], CancellationToken, Task<int>>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["agent-startup"] = AgentStartupBenchmark.RunAsync,
        ["churn"] = ChurnBenchmark.RunAsync,
        ["failover"] = FailoverBenchmark.RunAsync,
        ["idle-agent"] = IdleAgentBenchmark.RunAsync,
        ["idle-lab"] = IdleLabBenchmark.RunAsync,
        ["lab"] = LabBenchmark.RunAsync,
        ["pg-failover"] = PgFailoverBenchmark.RunAsync,
        ["render-scale"] = RenderScaleBenchmark.RunAsync,
        ["removal-latency"] = RemovalLatencyBenchmark.RunAsync,
        ["scale-reaction"] = ScaleReactionBenchmark.RunAsync,
    };

    /// <summary>Helper processes the benchmarks start (the bench exe itself); not listed in the usage.</summary>
    private static readonly Dictionary<string, Func<string[], CancellationToken, Task<int>>> Hidden = new(StringComparer.Ordinal)
    {
        ["contender"] = FailoverContender.RunAsync,
    };

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !(Benchmarks.TryGetValue(args[0], out var run) || Hidden.TryGetValue(args[0], out run)))
        {
            Console.Error.WriteLine($"usage: Discovery.Bench <{string.Join("|", Benchmarks.Keys)}> [options]");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        try
        {
            return await run(args[1..], stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Console.Error.WriteLine("interrupted");
            return 130;
        }
    }
}
