using Discovery.Consul;
using Discovery.Consul.Locking;
using System.Net;
using Discovery.Core.Configuration;
using Discovery.Core.Observability;
using Discovery.Core.Scaling.Alerts;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Sources;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>Runs <c>agent scaler</c>: builds the Consul client, the stub_status source, the locks and the service.</summary>
internal static partial class ScalerHost
{
    /// <returns>0 after a clean shutdown (cancellation), 1 when it cannot start.</returns>
    /// <exception cref="ConfigException">The token or CA file cannot be used (the CLI exits 2).</exception>
    public static async Task<int> RunAsync(ScalerConfig config, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(ScalerHost));
        var time = TimeProvider.System;
        using var consul = await ConsulConnection.CreateClientAsync(config.Consul, time, cancellationToken).ConfigureAwait(false);
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // each scrape has its own timeout
        var source = new StubStatusMetricSource(
            consul,
            http,
            StubStatusSourceOptions.For(config.Metrics.ScrapeInterval, config.Metrics.Window, config.Metrics.HttpTimeout),
            time,
            loggerFactory.CreateLogger<StubStatusMetricSource>());

        var lockOptions = new LeaderLockOptions { Key = "validation" };
        lockOptions = lockOptions with
        {
            CheckTtl = config.Lock.CheckTtl ?? lockOptions.CheckTtl,
            LockDelay = config.Lock.LockDelay ?? lockOptions.LockDelay,
            HolderDescription = $"scaler {config.Node} pid {Environment.ProcessId}",
        };
        var lockErrors = lockOptions.Validate();
        if (lockErrors.Count > 0)
        {
            LogInvalidLock(logger, string.Join("; ", lockErrors));
            return 1;
        }

        var nodeAgents = new NodeAgentMetricsReader(consul, http, config.Metrics.HttpTimeout, time, loggerFactory.CreateLogger<NodeAgentMetricsReader>());
        var service = new ScalerService(
            config,
            consul,
            key => new ConsulLeaderLock(consul, lockOptions with { Key = key }, loggerFactory.CreateLogger<ConsulLeaderLock>(), time),
            [source, new InstanceResourceMetricSource(MetricNames.InstanceCpuPercent, nodeAgents), new InstanceResourceMetricSource(MetricNames.InstanceRssMiB, nodeAgents)],
            time,
            loggerFactory);
        await using var webhooks = new WebhookSender(http, time, loggerFactory.CreateLogger<WebhookSender>());
        var firstApp = service.Apps[0];
        var alerts = new AlertLoop(
            config.Alerts ?? [],
            () => firstApp.CurrentTermToken,
            new AlertSignalReader(consul, nodeAgents, source, http, config.Prefix, time),
            webhooks,
            config.Node,
            time,
            loggerFactory.CreateLogger<AlertLoop>());

        LogStarted(logger, config.Node, string.Join(", ", config.Apps.Select(a => a.Name)), config.Consul.Address);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scraping = source.RunAsync(() => service.LeadsAnyApp, stop.Token);
        var running = service.RunAsync(cancellationToken);
        var alerting = alerts.RunAsync(stop.Token);
        MonitoringServer? monitoring = null;
        try
        {
            if (config.Monitoring is { } monitoringConfig)
            {
                var health = new HealthState(consul, monitoringConfig.ConsulStaleAfter, time);
                health.AddLoop("leadership loops", () => running);
                health.AddLoop("stub_status scraping", () => scraping);
                health.AddLoop("alert rules", () => alerting);
                try
                {
                    monitoring = MonitoringServer.Start(monitoringConfig, health, logger);
                }
                catch (HttpListenerException error)
                {
                    LogMonitoringFailed(logger, monitoringConfig.Address, error.Message);
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
            }

            await running.ConfigureAwait(false);
        }
        finally
        {
            if (monitoring is not null)
            {
                await monitoring.DisposeAsync().ConfigureAwait(false);
            }

            await stop.CancelAsync().ConfigureAwait(false);
            foreach (var loop in new[] { scraping, alerting })
            {
                try
                {
                    await loop.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // stopped with the service
                }
            }
        }

        return 0;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Cannot serve monitoring.listen {Address}: {Error}")]
    private static partial void LogMonitoringFailed(ILogger logger, string address, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invalid lock settings: {Errors}")]
    private static partial void LogInvalidLock(ILogger logger, string errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scaler {Node} scaling {Apps} via {Consul}")]
    private static partial void LogStarted(ILogger logger, string node, string apps, Uri consul);
}
