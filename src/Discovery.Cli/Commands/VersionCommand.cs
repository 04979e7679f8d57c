using System.CommandLine;
using System.Reflection;
using Discovery.Cli.Options;
using Discovery.Consul;

namespace Discovery.Cli.Commands;

/// <summary>`agent version`: this build, and the Consul version of the agent it would talk to.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var command = new Command("version", "Print the agent's version and the version of the Consul agent it reaches.\n\nExample:\n  agent version --consul 127.0.0.11:8500");
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"agent {version}");
            var options = connection.Resolve(parseResult) with { ReadRetries = 0, RequestTimeout = TimeSpan.FromSeconds(2) };
            using var client = new ConsulClient(options);
            try
            {
                var self = await client.Agent.SelfAsync(cancellationToken);
                Console.WriteLine($"consul {self.Config.Version} at {options.Address} (node {self.Config.NodeName}, datacenter {self.Config.Datacenter})");
            }
            catch (Exception exception) when (exception is ConsulUnavailableException or ConsulApiException)
            {
                Console.WriteLine($"consul: not reachable at {options.Address} ({exception.Message})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
