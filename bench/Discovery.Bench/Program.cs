using Discovery.Bench.Rendering;

namespace Discovery.Bench;

/// <summary>One executable, one subcommand per benchmark: <c>Discovery.Bench &lt;name&gt; [options]</c>.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args) => args.FirstOrDefault() switch
    {
        "render-scale" => await RenderScaleBenchmark.RunAsync(args[1..]),
        "removal-latency" => await RemovalLatencyBenchmark.RunAsync(args[1..]),
        _ => Usage(),
    };

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Discovery.Bench <render-scale | removal-latency> [options]");
        return 2;
    }
}
