using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Consul;
using Discovery.Core.Scaling.Operations;

namespace Discovery.Cli.Commands;

/// <summary>`agent autoscale &lt;app&gt; pause|resume`: stop or restart automatic scaling of one app.</summary>
internal static class AutoscaleCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var app = new Argument<string>("app") { Description = "The app." };
        var action = new Argument<string>("action") { Description = "pause or resume." };
        action.AcceptOnlyFromAmong("pause", "resume");
        var prefix = PrefixOption.Create();
        var command = new Command("autoscale",
            "Pause or resume automatic scaling of an app (the scaler keeps the current count while paused).\n\n" +
            "Examples:\n  agent autoscale web pause\n  agent autoscale web resume");
        connection.AddTo(command);
        command.Arguments.Add(app);
        command.Arguments.Add(action);
        command.Options.Add(prefix);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var operation = new AutoscaleOperation(client, parseResult.GetRequiredValue(prefix));
            var appName = parseResult.GetRequiredValue(app);
            var result = parseResult.GetRequiredValue(action) == "pause"
                ? await operation.PauseAsync(appName, cancellationToken)
                : await operation.ResumeAsync(appName, cancellationToken);
            (result.Succeeded ? Console.Out : Console.Error).WriteLine(result.Message);
            return result.ExitCode;
        });
        return command;
    }
}
