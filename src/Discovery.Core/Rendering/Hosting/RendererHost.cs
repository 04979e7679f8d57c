using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Consul.Resilience;
using Discovery.Core.Configuration;
using Discovery.Consul.Watching;
using Discovery.Core.Observability;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Health;
using Discovery.Core.Rendering.Targets;
using Discovery.Core.Rendering.Templating;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// Entry point of <c>agent render</c>: compiles every template, wires Consul, the targets, the
/// routed-instance publication and (daemon only, with a <c>register</c> section) the lb
/// registration, and runs in the chosen <see cref="RenderMode"/>.
/// </summary>
public static partial class RendererHost
{
    /// <summary>One client for every peer target: requests carry their own timeouts, connections to nginx are reused.</summary>
    private static readonly HttpClient PeerHttp = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>Exit code for a config or template the operator must fix (restarting will not help).</summary>
    public const int ConfigErrorExitCode = 2;

    /// <summary>Exit code for a runtime failure: a template error with real data, a rejected check, a failed command, missing data after --timeout.</summary>
    public const int RuntimeErrorExitCode = 1;

    /// <summary>Runs the renderer; returns 0 after cancellation or a successful --once, 1 for a runtime failure, 2 for bad input.</summary>
    /// <exception cref="ConfigException">The token or CA file cannot be used (the CLI exits 2, as for every daemon).</exception>
    public static async Task<int> RunAsync(RendererConfig config, ILoggerFactory loggers, CancellationToken cancellationToken, RenderMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(loggers);
        mode ??= RenderMode.Daemon;
        var logger = loggers.CreateLogger(typeof(RendererHost));
        var templates = config.Templates.Select(template => LoadTemplate(template.Source, logger)).ToList();
        if (templates.Any(template => template is null))
        {
            return ConfigErrorExitCode;
        }

        var jobs = config.Templates.Select((template, index) => new RenderJob(index, template, templates[index]!, CreateTarget(template, mode))).ToList();
        var time = TimeProvider.System;
        // No transport-level read retries: the watches retry themselves, and a retried long poll
        // would hide a Consul restart (see ConsulTemplateDataSource.FollowAsync).
        var options = await ConsulConnection.ResolveAsync(config.Consul, "consul", cancellationToken).ConfigureAwait(false);
        using var client = new ConsulClient(options with { ReadRetry = RetryOptions.None }, null, time);
        var watch = new WatchOptions { Retry = new RetryOptions { BaseDelay = config.Retry.Backoff, MaxDelay = config.Retry.MaxBackoff } };
        await using var data = new ConsulTemplateDataSource(client, QueryOptions.Default, watch, new OutageGuard(config.OutageSettle),
            loggers.CreateLogger<ConsulTemplateDataSource>(), time);
        var publisher = config.Name is null || mode.Dry ? null : new RoutedInstancesPublisher(client, config.Prefix, config.Name, time);
        var health = new RendererHealth(config.Templates.Select(template => (template.Source, template.Destination)));
        var service = new RendererService(jobs, data, config.Wait, publisher, health, mode.StatusFile, RenderEnvironment.System,
            loggers.CreateLogger<RendererService>(), time);
        Log.Starting(logger, jobs.Count, string.Join(", ", jobs.Select(job => $"{job.Config.Source} -> {job.Target.Name}")),
            mode.Once ? "once" : "daemon", mode.Dry ? " (dry run: nothing is written)" : "");

        if (mode.Once)
        {
            var result = await service.RunOnceAsync(mode.OnceTimeout, cancellationToken).ConfigureAwait(false);
            foreach (var problem in result.Problems)
            {
                Log.OnceProblem(logger, problem);
            }

            return result.ExitCode;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var monitoring = mode.Dry ? null : config.Monitoring;
        var registration = config.Register is null || config.Name is null || mode.Dry
            ? Task.CompletedTask
            : new LoadBalancerRegistrar(client, config.Name, config.Register, loggers.CreateLogger<LoadBalancerRegistrar>(), time) { MetricsAddress = monitoring?.Address }.RunAsync(stop.Token);
        RendererMetrics.LoadBalancer = config.Name ?? "";
        var rendering = service.RunAsync(stop.Token);
        try
        {
            await using var server = monitoring is null ? null : MonitoringServer.Start(monitoring, RendererMonitoring.Health(client, monitoring, health, rendering, registration, time), logger);
            await rendering.ConfigureAwait(false);
            return 0;
        }
        catch (System.Net.HttpListenerException error)
        {
            Log.MonitoringFailed(logger, monitoring!.Address, error.Message);
            return RuntimeErrorExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
#pragma warning disable CA1031 // The process entry point: log whatever escaped and exit non-zero.
        catch (Exception error)
#pragma warning restore CA1031
        {
            Log.Crashed(logger, error);
            return RuntimeErrorExitCode;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await registration.ConfigureAwait(false);
        }
    }

    /// <summary>The render jobs of <paramref name="config"/> (for embedding the renderer, as the benchmarks do).</summary>
    /// <exception cref="TemplateException">A template outside the supported subset.</exception>
    internal static IReadOnlyList<RenderJob> CreateJobs(RendererConfig config, RenderMode mode) =>
        [.. config.Templates.Select((template, index) =>
            new RenderJob(index, template, CompiledTemplate.Parse(File.ReadAllText(template.Source), template.Source), CreateTarget(template, mode)))];

    /// <summary>
    /// A file target with its check and command (nginx is one such target, with nginx -t as check
    /// and a reload as command), or a peer set pushed to nginx without a reload.
    /// </summary>
    /// <exception cref="ConfigException">A peer target's secret file cannot be used.</exception>
    internal static IRenderTarget CreateTarget(TemplateConfig template, RenderMode mode)
    {
        if (mode.Dry)
        {
            return new DryRunTarget(template.Destination, mode.DryOutput);
        }

        if (template.Peers is { } peers)
        {
            return PeerSetTarget.Create(template, peers, PeerHttp, TimeProvider.System);
        }

        ITemplateCheck? check = template.Nginx is { } nginx ? new NginxConfigCheck(nginx)
            : template.Check is { } line ? new CommandCheck(line, template.CommandTimeout)
            : null;
        IReadOnlyList<IRenderCommand> commands = template.Nginx is { } reload ? [new NginxReloadCommand(reload)]
            : template.Command is { } command ? [new ShellCommand(command, template.CommandTimeout)]
            : [];
        return new FileTarget(template.Destination, template.Perms, check, commands, template.CreateDestinationFolder);
    }

    /// <summary>Parses a template, logging the file/line/column of the first problem; null when it cannot be used.</summary>
    internal static CompiledTemplate? LoadTemplate(string path, ILogger logger)
    {
        try
        {
            return CompiledTemplate.Parse(File.ReadAllText(path), path);
        }
        catch (TemplateException error)
        {
            Log.TemplateError(logger, error.Message);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            Log.TemplateUnreadable(logger, path, error.Message);
        }

        return null;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Rendering {Count} template(s), {Mode}{Dry}: {Templates}")]
        public static partial void Starting(ILogger logger, int count, string templates, string mode, string dry);

        [LoggerMessage(Level = LogLevel.Error, Message = "{Problem}")]
        public static partial void OnceProblem(ILogger logger, string problem);

        [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot serve monitoring.listen {Address}: {Error}")]
        public static partial void MonitoringFailed(ILogger logger, string address, string error);

        [LoggerMessage(Level = LogLevel.Critical, Message = "Renderer failed")]
        public static partial void Crashed(ILogger logger, Exception error);

        [LoggerMessage(Level = LogLevel.Error, Message = "Template error: {Error}")]
        public static partial void TemplateError(ILogger logger, string error);

        [LoggerMessage(Level = LogLevel.Error, Message = "Cannot read template {Path}: {Error}")]
        public static partial void TemplateUnreadable(ILogger logger, string path, string error);
    }
}
