using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Hosting;

namespace Discovery.Cli.Commands;

/// <summary>`agent node --config node.yaml`: the node agent (supervise, register, reconcile, drain).</summary>
internal static class NodeCommand
{
    public static Command Create()
    {
        var config = ConfigFileOption.Create("node agent");
        var keepInstances = new Option<bool>("--keep-instances")
        {
            Description = "On shutdown leave the instances running (and registered) for the next run to adopt, instead of draining and stopping them.",
        };
        var prefix = PrefixOption.Create();
        var logging = new LoggingOptions();
        var command = new Command("node",
            "Run the node agent: start and supervise the app instances of this node, register them in Consul, follow the scaler's placement, drain before stopping.\n\n" +
            "Example:\n  agent node --config /etc/discovery/node.yaml");
        command.Options.Add(config);
        command.Options.Add(keepInstances);
        command.Options.Add(prefix);
        logging.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            // Every config problem is reported (exit 2) before anything starts.
            var loaded = NodeAgentConfigLoader.LoadFile(parseResult.GetRequiredValue(config).FullName).GetConfigOrThrow();
            using var loggers = logging.CreateLoggerFactory(parseResult);
            var options = NodeAgentOptions.Default with
            {
                KvPrefix = parseResult.GetRequiredValue(prefix),
                StopInstancesOnExit = !parseResult.GetValue(keepInstances),
            };
            return await NodeAgentHost.RunAsync(loaded, options, loggers, cancellationToken);
        });
        return command;
    }
}
