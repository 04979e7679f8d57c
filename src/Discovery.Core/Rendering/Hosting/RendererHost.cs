using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Peers;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>Entry point of <c>agent render</c>: wires Consul, the template, nginx and the lb registration, and runs until cancelled.</summary>
public static class RendererHost
{
    /// <summary>Exit code for a config or template the operator must fix (restarting will not help).</summary>
    public const int ConfigErrorExitCode = 2;

    /// <summary>Runs the renderer; returns 0 after cancellation, 2 for a bad template or token file, 1 for an unexpected failure.</summary>
    public static async Task<int> RunAsync(RendererConfig config, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(RendererHost));
        var template = LoadTemplate(config.Template, logger);
        var token = ReadToken(config, logger, out var tokenOk);
        var peersTemplate = config.Peers is null ? null : LoadTemplate(config.Peers.Template, logger);
        var pushSecret = config.Peers is null ? null : ReadPushSecret(config.Peers, logger);
        if (template is null || !tokenOk || (config.Peers is not null && (peersTemplate is null || pushSecret is null)))
        {
            return ConfigErrorExitCode;
        }

        var time = TimeProvider.System;
        using var client = new ConsulClient(new ConsulClientOptions
        {
            Address = config.Consul.Address,
            Token = token,
            Datacenter = config.Consul.Datacenter,
        });
        await using var data = new ConsulTemplateDataSource(client, QueryOptions.Default, null, loggers.CreateLogger<ConsulTemplateDataSource>(), time);
        var service = RendererService.Create(config, template, client, data, loggers, time);
        logger.LogInformation("Rendering {Template} to {Output} for load balancer {Name} (wait {Min} ms..{Max} ms)",
            config.Template, config.Output, config.Name, (int)config.Wait.Min.TotalMilliseconds, (int)config.Wait.Max.TotalMilliseconds);

        // The peer loop watches with its own data source: each loop tracks exactly its template's dependencies.
        await using var peersData = new ConsulTemplateDataSource(client, QueryOptions.Default, null, loggers.CreateLogger<ConsulTemplateDataSource>(), time);
        using var peersHttp = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var peers = config.Peers is null ? null : PeerSetServiceFactory.Create(config, peersTemplate!, pushSecret!, client, peersData, peersHttp, loggers, time);
        if (config.Peers is not null)
        {
            logger.LogInformation("Pushing {Template} to nginx at {Endpoint} without reloads (wait {Min} ms..{Max} ms), saved to {Output}",
                config.Peers.Template, config.Peers.Endpoint, (int)config.Peers.Wait.Min.TotalMilliseconds, (int)config.Peers.Wait.Max.TotalMilliseconds, config.Peers.Output);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var registration = config.Register is null
            ? Task.CompletedTask
            : new LoadBalancerRegistrar(client, config.Name, config.Register, loggers.CreateLogger<LoadBalancerRegistrar>(), time).RunAsync(stop.Token);
        try
        {
            // Either loop failing ends both: a renderer that half works must not look healthy.
            Task[] loops = peers is null ? [service.RunAsync(stop.Token)] : [service.RunAsync(stop.Token), peers.RunAsync(stop.Token)];
            await Task.WhenAny(loops).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(loops).ConfigureAwait(false); // a fault wins over the other loop's cancellation
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

    /// <summary>The peer endpoint's bearer secret; null (logged) when the file cannot be read or is too short for nginx to accept.</summary>
    private static string? ReadPushSecret(PeerTargetConfig peers, ILogger logger)
    {
        try
        {
            var secret = File.ReadAllText(peers.SecretFile).Trim();
            if (secret.Length >= PeerTargetConfig.MinSecretLength && !secret.Any(char.IsWhiteSpace))
            {
                return secret;
            }

            logger.LogError("The peer push secret in {Path} must be at least {Length} characters without spaces", peers.SecretFile, PeerTargetConfig.MinSecretLength);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Cannot read the peer push secret {Path}: {Error}", peers.SecretFile, error.Message);
        }

        return null;
    }

    private static string? ReadToken(RendererConfig config, ILogger logger, out bool ok)
    {
        ok = true;
        if (config.Consul.TokenFile is null)
        {
            return config.Consul.Token;
        }

        try
        {
            return File.ReadAllText(config.Consul.TokenFile).Trim();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Cannot read the Consul token file {Path}: {Error}", config.Consul.TokenFile, error.Message);
            ok = false;
            return null;
        }
    }
}
