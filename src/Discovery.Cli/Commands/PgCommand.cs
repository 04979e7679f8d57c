using System.CommandLine;
using System.Globalization;
using Discovery.Cli.Options;
using Discovery.Consul;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Operations;

namespace Discovery.Cli.Commands;

/// <summary>`agent pg status` and `agent pg switchover --to &lt;node&gt;`: rendering and wiring only (logic in PgOperations).</summary>
internal static class PgCommand
{
    public static Command Create()
    {
        var command = new Command("pg", "The Postgres cluster the node agents run: its state, members and failover decisions; planned switchover.");
        command.Subcommands.Add(Status());
        command.Subcommands.Add(Switchover());
        return command;
    }

    private static Command Status()
    {
        var connection = new ConnectionOptions();
        var (cluster, prefix) = ClusterOptions();
        var command = new Command("status", "Who is primary (generation, fencing token), each member's role, health and lag, the failover leader, the last decisions.\n\nExample:\n  agent pg status");
        connection.AddTo(command);
        command.Options.Add(cluster);
        command.Options.Add(prefix);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var status = await new PgOperations(client, parseResult.GetRequiredValue(prefix), parseResult.GetRequiredValue(cluster), TimeProvider.System).StatusAsync(cancellationToken);
            Console.WriteLine(status.State is { } state
                ? $"cluster {status.Cluster}: primary {state.Primary}, generation {state.Generation}, written under fencing token {state.Token} at {state.At:u}{(state.Demote is { } demote ? $", switching over to {demote.Target}" : "")}"
                : $"cluster {status.Cluster}: no state{(status.StateError is { } error ? $" (invalid: {error})" : " yet (not bootstrapped)")}");
            Console.WriteLine($"failover leader: {status.Leader ?? "none"}");
            foreach (var member in status.Members)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {member.Node,-12} {member.Endpoint.Address}:{member.Endpoint.Port,-6} {member.State,-10} g{member.Generation,-3} {(member.Passing ? "passing" : "CRITICAL"),-8} {member.CheckOutput}"));
            }

            Console.WriteLine("last decisions:");
            foreach (var decision in status.Decisions)
            {
                Console.WriteLine($"  {decision.At:u} {decision.Kind,-18} g{decision.Generation} primary {decision.Primary} (token {decision.FencingToken}, {decision.Leader}): {decision.Reason}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Switchover()
    {
        var connection = new ConnectionOptions();
        var (cluster, prefix) = ClusterOptions();
        var to = new Option<string>("--to") { Description = "The replica (node name) that becomes primary.", Required = true };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Give up waiting (exit 1) after this long.", DefaultValueFactory = _ => TimeSpan.FromSeconds(90), CustomParser = DurationArgument.Parse };
        var command = new Command("switchover",
            "Planned switchover, losing no committed write: the primary shuts down cleanly, the target is promoted once it has received every byte, the old primary follows it.\n\n" +
            "Example:\n  agent pg switchover --to node-2");
        connection.AddTo(command);
        command.Options.Add(cluster);
        command.Options.Add(prefix);
        command.Options.Add(to);
        command.Options.Add(timeout);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var operations = new PgOperations(client, parseResult.GetRequiredValue(prefix), parseResult.GetRequiredValue(cluster), TimeProvider.System);
            var (done, message) = await operations.SwitchoverAsync(parseResult.GetRequiredValue(to), parseResult.GetValue(timeout), cancellationToken);
            (done ? Console.Out : Console.Error).WriteLine(message);
            return done ? ExitCodes.Ok : ExitCodes.RuntimeFailure;
        });
        return command;
    }

    private static (Option<string> Cluster, Option<string> Prefix) ClusterOptions() =>
        (new Option<string>("--cluster") { Description = "The cluster (its Consul service name).", DefaultValueFactory = _ => PostgresConfig.DefaultCluster },
         PrefixOption.Create());
}
