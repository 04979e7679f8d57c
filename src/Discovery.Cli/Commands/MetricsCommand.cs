using System.CommandLine;
using Discovery.Core.Observability;

namespace Discovery.Cli.Commands;

/// <summary>`agent metrics list`: every metric family the daemons serve on /metrics, from the code (the README's table is this output).</summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var list = new Command("list", "Print every metric family the daemons serve on /metrics (name, type, labels, who serves it, meaning) as a Markdown table.");
        list.SetAction(_ =>
        {
            Console.Write(MetricTable.Markdown());
            return ExitCodes.Ok;
        });
        var command = new Command("metrics", "What the daemons' /metrics endpoints serve (monitoring.listen in each config).");
        command.Subcommands.Add(list);
        return command;
    }
}
