using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Cli.Output;
using Discovery.Consul;
using Discovery.Core.Status;
using Spectre.Console;

namespace Discovery.Cli.Commands;

/// <summary>`agent status`: what every app should run, runs, and serves; rendering only (data from FleetStatusReader).</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var app = new Option<string?>("--app") { Description = "Only this app." };
        var json = new Option<bool>("--json") { Description = "Print one JSON document (stable schema, see FleetStatusJson) instead of tables." };
        var watch = new Option<bool>("--watch") { Description = "Refresh in place on every change (Consul blocking queries) until Ctrl-C." };
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "With --watch: longest time between refreshes when nothing changes (keeps ages current).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(5),
            CustomParser = DurationArgument.Parse,
        };
        var why = new Option<string?>("--why") { Description = "Explain this app's last decisions: readings with their window and samples, every clamp (tolerance, min/max, cooldowns, stabilization, hold, pause), fencing token and leader. With --json: the history entries as stored." };
        var prefix = PrefixOption.Create();

        var command = new Command("status",
            "Per app: desired / placed / running / passing / routed, hold, autoscale, leader and fencing token, last decisions; per instance: node, address, health, age.\n\n" +
            "Examples:\n  agent status\n  agent status --app web --watch\n  agent status --json | jq '.apps[0].routed'");
        connection.AddTo(command);
        command.Options.Add(app);
        command.Options.Add(json);
        command.Options.Add(watch);
        command.Options.Add(interval);
        command.Options.Add(why);
        command.Options.Add(prefix);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if ((parseResult.GetValue(json) || parseResult.GetValue(why) is not null) && parseResult.GetValue(watch))
            {
                throw new UsageException("--json and --why cannot be combined with --watch");
            }

            using var client = await connection.CreateClientAsync(parseResult, cancellationToken);
            var reader = new FleetStatusReader(client, parseResult.GetRequiredValue(prefix), TimeProvider.System);
            var onlyApp = parseResult.GetValue(app);
            if (parseResult.GetValue(why) is { } explained)
            {
                var status = await reader.ReadAsync(explained, cancellationToken);
                var found = status.Apps.FirstOrDefault(candidate => candidate.Name == explained)
                    ?? throw new UsageException($"no app \"{explained}\" in Consul (no desired count, placement or history)");
                Console.Write(parseResult.GetValue(json) ? DecisionWhyView.Json(found) + "\n" : DecisionWhyView.Text(found));
                return ExitCodes.Ok;
            }

            if (parseResult.GetValue(json))
            {
                Console.WriteLine(FleetStatusJson.Serialize(await reader.ReadAsync(onlyApp, cancellationToken)));
                return ExitCodes.Ok;
            }

            if (!parseResult.GetValue(watch))
            {
                AnsiConsole.Write(FleetStatusView.Render(await reader.ReadAsync(onlyApp, cancellationToken)));
                return ExitCodes.Ok;
            }

            await FleetStatusLive.ShowAsync(client, parseResult.GetRequiredValue(prefix), onlyApp, parseResult.GetValue(interval), cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
