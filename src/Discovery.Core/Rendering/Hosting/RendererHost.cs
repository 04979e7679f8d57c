using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>Entry point of <c>agent render</c>: wires Consul, the template, nginx and the lb registration, and runs until cancelled.</summary>
public static class RendererHost
{
    /// <summary>Exit code for a config or template the operator must fix (restarting will not help).</summary>
    public const int ConfigErrorExitCode = 2;

    /// <summary>Runs the renderer; returns 0 after cancellation, 2 for a bad template, 1 for an unexpected failure.</summary>
    /// <exception cref="ConfigException">The token or CA file cannot be used (the CLI exits 2, as for every daemon).</exception>
    public static async Task<int> RunAsync(RendererConfig config, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(RendererHost));
        var template = LoadTemplate(config.Template, logger);
        if (template is null)
        {
            return ConfigErrorExitCode;
        }

        var time = TimeProvider.System;
        using var client = await ConsulConnection.CreateClientAsync(config.Consul, time, cancellationToken).ConfigureAwait(false);
        await using var data = new ConsulTemplateDataSource(client, QueryOptions.Default, null, loggers.CreateLogger<ConsulTemplateDataSource>(), time);
        var service = RendererService.Create(config, template, client, data, loggers, time);
        logger.LogInformation("Rendering {Template} to {Output} for load balancer {Name} (wait {Min} ms..{Max} ms)",
            config.Template, config.Output, config.Name, (int)config.Wait.Min.TotalMilliseconds, (int)config.Wait.Max.TotalMilliseconds);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var registration = config.Register is null
            ? Task.CompletedTask
            : new LoadBalancerRegistrar(client, config.Name, config.Register, loggers.CreateLogger<LoadBalancerRegistrar>(), time).RunAsync(stop.Token);
        try
        {
            await service.RunAsync(stop.Token).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
#pragma warning disable CA1031 // The process entry point: log whatever escaped and exit non-zero.
        catch (Exception error)
#pragma warning restore CA1031
        {
            logger.LogCritical(error, "Renderer failed");
            return 1;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await registration.ConfigureAwait(false);
        }
    }

    /// <summary>Parses the template, logging the file/line/column of the first problem; null when it cannot be used.</summary>
    internal static CompiledTemplate? LoadTemplate(string path, ILogger logger)
    {
        try
        {
            return CompiledTemplate.Parse(File.ReadAllText(path), path);
        }
        catch (TemplateException error)
        {
            logger.LogError("Template error: {Error}", error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Cannot read template {Path}: {Error}", path, error.Message);
        }

        return null;
    }
}
