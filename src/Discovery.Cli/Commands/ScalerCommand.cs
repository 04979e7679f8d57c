using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Service;

namespace Discovery.Cli.Commands;

/// <summary>`agent scaler --config scaler.yaml`: contend for leadership per app; the leader decides and places.</summary>
internal static class ScalerCommand
{
    public static Command Create()
    {
        var config = ConfigFileOption.Create("scaler");
        var logging = new LoggingOptions();
        var command = new Command("scaler",
            "Run a scaler: per app, one scaler in the cluster holds the leader lock, reads request rates from nginx stub_status, and writes desired counts and placement (fenced).\n\n" +
            "Example:\n  agent scaler --config /etc/discovery/scaler.yaml");
        command.Options.Add(config);
        logging.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var loaded = ScalerConfigLoader.LoadFile(parseResult.GetRequiredValue(config).FullName).GetConfigOrThrow();
            using var loggers = logging.CreateLoggerFactory(parseResult);
            return await ScalerHost.RunAsync(loaded, loggers, cancellationToken);
        });
        return command;
    }
}
