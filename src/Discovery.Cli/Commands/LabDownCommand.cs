using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.Lab;

namespace Discovery.Cli.Commands;

/// <summary>`agent lab down`: stop a detached lab from its state.json (pid + start time checked) and remove its folder.</summary>
internal static class LabDownCommand
{
    public static Command Create()
    {
        var location = new LabLocationOptions();
        var logging = new LoggingOptions();
        var command = new Command("down", "Stop the lab started with `agent lab up --detach`: every recorded process, newest first, then remove .lab/local.\n\nExample:\n  agent lab down");
        location.AddTo(command);
        logging.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var loggers = logging.CreateLoggerFactory(parseResult);
            var stopped = await LabOrchestrator.DownAsync(location.Resolve(parseResult), loggers, TimeProvider.System, cancellationToken);
            Console.WriteLine(stopped == 0 ? "No lab was running." : $"Lab stopped ({stopped} processes); nothing left running.");
            return ExitCodes.Ok;
        });
        return command;
    }
}
