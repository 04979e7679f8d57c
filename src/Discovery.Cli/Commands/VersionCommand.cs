using System.CommandLine;
using System.Reflection;
using Discovery.Cli.Options;
using Discovery.Consul;
using Discovery.Consul.Resilience;
using Discovery.Core.Configuration;

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
            // A quick probe: no retries, a short timeout.
            var options = await ConsulConnection.ResolveAsync(connection.Resolve(parseResult) with { RequestTimeout = TimeSpan.FromSeconds(2) }, "connection", cancellationToken)
                with { ReadRetry = RetryOptions.None };
            using var client = new ConsulClient(options);
            try
            {
                var self = await client.Agent.SelfAsync(cancellationToken);
                Console.WriteLine($"consul {self.Config.Version} at {options.Address} (node {self.Config.NodeName}, datacenter {self.Config.Datacenter})");
            }
            catch (ConsulException exception)
            {
                Console.WriteLine($"consul: not reachable at {options.Address} ({exception.Message})");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
