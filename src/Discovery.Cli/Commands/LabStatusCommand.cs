using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.Lab;
using Discovery.Core.Processes;
using Spectre.Console;

namespace Discovery.Cli.Commands;

/// <summary>`agent lab status`: the lab's processes (alive or not) from state.json. `agent status` shows the fleet itself.</summary>
internal static class LabStatusCommand
{
    public static Command Create()
    {
        var location = new LabLocationOptions();
        var command = new Command("status", "Show the lab's processes from .lab/local/state.json and whether each still runs. Exit 1 if any has died.\n\nExample:\n  agent lab status && agent status");
        location.AddTo(command);
        command.SetAction(parseResult =>
        {
            var directory = location.Resolve(parseResult);
            var state = LabState.TryLoad(Path.Combine(directory, "state.json"));
            if (state is null)
            {
                Console.WriteLine($"No lab in {directory}.");
                return ExitCodes.Ok;
            }

            var table = new Table().Border(TableBorder.Simple).AddColumns("process", "pid", "state", "log");
            var dead = 0;
            foreach (var record in state.Processes)
            {
                var running = new ProcessIdentity(record.Pid, record.StartTime).IsRunning();
                dead += running ? 0 : 1;
                table.AddRow(Markup.Escape(record.Name), record.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), running ? "[green]running[/]" : "[red]gone[/]", Markup.Escape(record.LogFile));
            }

            AnsiConsole.MarkupLine($"Lab on {Markup.Escape(state.AddressPrefix)}.x, started {state.StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}{(state.Detached ? " (detached)" : $" by pid {state.OwnerPid}")}");
            AnsiConsole.Write(table);
            return dead == 0 ? ExitCodes.Ok : ExitCodes.RuntimeFailure;
        });
        return command;
    }
}
