using System.CommandLine;

namespace Discovery.Cli.Commands;

/// <summary>`agent lab`: the local loopback lab (up / down / status).</summary>
internal static class LabCommand
{
    public static Command Create()
    {
        var command = new Command("lab", "The local lab: a real Consul cluster, node agents, scalers and nginx on loopback addresses.\n\nExamples:\n  agent lab up\n  agent lab up --detach && agent lab status\n  agent lab down");
        command.Subcommands.Add(LabUpCommand.Create());
        command.Subcommands.Add(LabDownCommand.Create());
        command.Subcommands.Add(LabStatusCommand.Create());
        return command;
    }
}
