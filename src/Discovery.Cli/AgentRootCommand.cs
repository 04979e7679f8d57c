using System.CommandLine;
using Discovery.Cli.Commands;

namespace Discovery.Cli;

/// <summary>Builds the command tree. The lead adds node/render/scaler/scale/autoscale here (one line each).</summary>
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
        return root;
    }
}
