using Discovery.Bench.IdleAgent;

namespace Discovery.Bench;

/// <summary>One exe, one subcommand per benchmark: <c>Discovery.Bench &lt;name&gt; [options]</c>.</summary>
internal static class Program
{
    private static readonly Dictionary<string, Func<string[], Task<int>>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["idle-agent"] = IdleAgentBenchmark.RunAsync,
    };

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var run))
        {
            await Console.Error.WriteLineAsync($"usage: Discovery.Bench <{string.Join('|', Benchmarks.Keys.Order(StringComparer.Ordinal))}> [options]");
            return 2;
        }

        return await run(args[1..]);
    }
}
