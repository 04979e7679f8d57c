using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Discovery.Cli.Options;
using Discovery.Core.Lab;
using Discovery.Core.Scaling.Alerts;
using Microsoft.Extensions.Logging;

namespace Discovery.Cli.Commands;

/// <summary>`agent alerts receive|tail`: a loopback webhook receiver (the lab starts one) and a reader of what it received.</summary>
internal static class AlertsCommand
{
    public static Command Create()
    {
        var command = new Command("alerts", "Alert webhooks: receive them (the lab runs a receiver) and show them.");
        command.Subcommands.Add(Receive());
        command.Subcommands.Add(Tail());
        return command;
    }

    private static Command Receive()
    {
        var listen = new Option<string>("--listen") { Description = "host:port to listen on (loopback).", DefaultValueFactory = _ => "127.0.0.1:9099" };
        var file = new Option<FileInfo>("--file") { Description = "Append each event (one JSON object per line) here.", Required = true };
        var logging = new LoggingOptions();
        var command = new Command("receive", "Run a webhook receiver: every POSTed JSON object is appended as one line to --file.\n\nExample:\n  agent alerts receive --listen 127.0.0.1:9099 --file /tmp/alerts.jsonl");
        command.Options.Add(listen);
        command.Options.Add(file);
        logging.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var loggers = logging.CreateLoggerFactory(parseResult);
            var receiver = new WebhookReceiver($"http://{parseResult.GetRequiredValue(listen)}/", parseResult.GetRequiredValue(file).FullName, loggers.CreateLogger<WebhookReceiver>());
            await receiver.RunAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Tail()
    {
        var file = new Option<FileInfo?>("--file") { Description = $"The receiver's file. Default: the lab's ({LabConfigFiles.AlertsFileName} in its state folder)." };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events until Ctrl-C." };
        var command = new Command("tail", "Print the alert events a receiver got (time, rule, firing/resolved, value, detail, leader and fencing token).\n\nExample:\n  agent alerts tail -f");
        command.Options.Add(file);
        command.Options.Add(follow);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)?.FullName ?? Path.Combine(LabPaths.DefaultStateDirectory(), LabConfigFiles.AlertsFileName);
            long position = 0;
            do
            {
                if (File.Exists(path))
                {
                    await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                    stream.Seek(position, SeekOrigin.Begin);
                    using var reader = new StreamReader(stream);
                    while (await reader.ReadLineAsync(cancellationToken) is { } line)
                    {
                        Console.WriteLine(Format(line));
                    }

                    position = stream.Position;
                }
                else if (!parseResult.GetValue(follow))
                {
                    Console.WriteLine($"No alerts received yet ({path} does not exist).");
                }

                if (parseResult.GetValue(follow))
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                }
            }
            while (parseResult.GetValue(follow) && !cancellationToken.IsCancellationRequested);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>One event as a line: "12:00:03 FIRING web-cpu-high instance-cpu web 91.2 > 80 for 30s (detail) leader node-1 token 7".</summary>
    internal static string Format(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var e = document.RootElement;
            string Text(string name) => e.TryGetProperty(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText() : "";
            var at = DateTimeOffset.TryParse(Text("at"), CultureInfo.InvariantCulture, DateTimeStyles.None, out var when) ? when.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) : Text("at");
            var value = e.TryGetProperty("value", out var number) && number.ValueKind == JsonValueKind.Number ? number.GetDouble().ToString("0.##", CultureInfo.InvariantCulture) : "?";
            return $"{at} {Text("status").ToUpperInvariant(),-8} {Text("rule")} {Text("signal")} {Text("app")} {value} > {Text("above")} for {Text("for")} ({Text("detail")}) leader {Text("leader")} token {Text("fencingToken")}";
        }
        catch (JsonException)
        {
            return line;
        }
    }
}
