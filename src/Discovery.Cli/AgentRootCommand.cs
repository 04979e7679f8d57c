using System.CommandLine;
using Discovery.Cli.Commands;

namespace Discovery.Cli;

/// <summary>Builds the command tree: one line per verb.</summary>
internal static class AgentRootCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "Discovery: a self-managing web fleet through Consul.\n\n" +
            "Examples:\n  agent lab up\n  agent status --app web\n  agent load --url http://127.0.0.5:8080/ --rpm 600 --duration 30s");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(LoadCommand.Create());
        root.Subcommands.Add(LabCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(ScalerCommand.Create());
        root.Subcommands.Add(RenderCommand.Create());
        root.Subcommands.Add(ScaleCommand.Create());
        root.Subcommands.Add(AutoscaleCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(FlagsCommand.Create());
        root.Subcommands.Add(PgCommand.Create());
        root.Subcommands.Add(MetricsCommand.Create());
        root.Subcommands.Add(AlertsCommand.Create());
        return root;
    }
}
