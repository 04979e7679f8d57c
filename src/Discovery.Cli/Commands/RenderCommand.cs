using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;

namespace Discovery.Cli.Commands;

/// <summary>`agent render --config …`: the built-in consul-template alternative (daemon, --once, --dry).</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var config = ConfigFileOption.Create("renderer", "Discovery's YAML/JSON, or consul-template's .hcl");
        var once = new Option<bool>("--once") { Description = "Render every template once (waiting for its data), run checks and commands, exit: 0 ok, 1 runtime failure or data still missing after --timeout, 2 bad config or template." };
        var dry = new Option<bool>("--dry") { Description = "Print what would be written to stdout (\"> destination\" then the content) and touch nothing: no file, check, command, KV write or registration." };
        var timeout = new Option<TimeSpan>("--timeout")
        {
            Description = "With --once: how long to wait for data before naming every missing dependency and exiting 1.",
            DefaultValueFactory = _ => RenderMode.DefaultOnceTimeout,
            CustomParser = DurationArgument.Parse,
        };
        var statusFile = new Option<FileInfo?>("--status-file") { Description = "Keep the renderer's health here as JSON (per template: last success, last change, last error, missing data)." };
        var logging = new LoggingOptions();
        var command = new Command("render",
            "Render files from the Consul catalog and KV with consul-template's template language and config. For each template: " +
            "render, skip if unchanged, run its check against the candidate, swap it in, then run its command (once per burst, however " +
            "many templates ask for it); nginx is one such target (check nginx -t, command reload). With a Discovery YAML config that has " +
            "a name, it publishes the routed instances to KV <prefix>/lb/<name>/routed, and with a register: section it also registers " +
            "the load balancer as Consul service lb (ID lb-<name>) while it runs; an HCL config registers and publishes nothing.\n\n" +
            "Examples:\n" +
            "  agent render --config /etc/discovery/renderer.yaml\n" +
            "  agent render --config nginx-templates/consul-template.hcl --once\n" +
            "  agent render --config renderer.yaml --dry --once");
        command.Options.Add(config);
        command.Options.Add(once);
        command.Options.Add(dry);
        command.Options.Add(timeout);
        command.Options.Add(statusFile);
        logging.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var loaded = RendererConfigLoader.LoadFile(parseResult.GetRequiredValue(config).FullName).GetConfigOrThrow();
            var mode = new RenderMode(parseResult.GetValue(once), parseResult.GetValue(dry), parseResult.GetValue(timeout), parseResult.GetValue(statusFile)?.FullName, Console.Out);

            // consul-template's log_level applies unless --log-level was given.
            var level = parseResult.GetResult(logging.Level) is { Implicit: false } || loaded.LogLevel is null
                ? parseResult.GetValue(logging.Level)
                : loaded.LogLevel.Value;
            using var loggers = Discovery.Cli.Logging.CliLogging.CreateFactory(level, parseResult.GetValue(logging.Format));
            return await RendererHost.RunAsync(loaded, loggers, cancellationToken, mode);
        });
        return command;
    }
}
