using System.CommandLine;
using Discovery.Cli.Options;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;

namespace Discovery.Cli.Commands;

/// <summary>`agent render --config renderer.yaml`: the built-in consul-template replacement for nginx.</summary>
internal static class RenderCommand
{
    public static Command Create()
    {
        var config = ConfigFileOption.Create("renderer");
        var logging = new LoggingOptions();
        var command = new Command("render",
            "Render nginx upstreams from the Consul catalog with the same .ctmpl file consul-template uses; validate with nginx -t, then replace and reload. Registers the load balancer as service lb.\n\n" +
            "Example:\n  agent render --config /etc/discovery/renderer.yaml");
        command.Options.Add(config);
        logging.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var loaded = RendererConfigLoader.LoadFile(parseResult.GetRequiredValue(config).FullName).GetConfigOrThrow();
            using var loggers = logging.CreateLoggerFactory(parseResult);
            return await RendererHost.RunAsync(loaded, loggers, cancellationToken);
        });
        return command;
    }
}
