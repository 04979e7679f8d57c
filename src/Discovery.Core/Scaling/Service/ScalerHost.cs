using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Sources;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>Runs <c>agent scaler</c>: builds the Consul client, the stub_status source, the locks and the service.</summary>
internal static class ScalerHost
{
    /// <returns>0 after a clean shutdown (cancellation), 1 when it cannot start.</returns>
    public static async Task<int> RunAsync(ScalerConfig config, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var logger = loggerFactory.CreateLogger(typeof(ScalerHost));
        string? token = config.Consul.Token;
        if (config.Consul.TokenFile is { } tokenFile)
        {
            try
            {
                token = (await File.ReadAllTextAsync(tokenFile, cancellationToken).ConfigureAwait(false)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Cannot read the Consul token file {File}: {Error}", tokenFile, e.Message);
                return 1;
            }
        }

        using var consul = new ConsulClient(new ConsulClientOptions
        {
            Address = config.Consul.Address,
            Token = string.IsNullOrEmpty(token) ? null : token,
            Datacenter = config.Consul.Datacenter,
        });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // each scrape has its own timeout
        var time = TimeProvider.System;
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
            logger.LogError("Invalid lock settings: {Errors}", string.Join("; ", lockErrors));
            return 1;
        }

        var service = new ScalerService(
            config,
            consul,
            key => new ConsulLeaderLock(consul, lockOptions with { Key = key }, loggerFactory.CreateLogger<ConsulLeaderLock>(), time),
            [source],
            time,
            loggerFactory);

        logger.LogInformation("Scaler {Node} scaling {Apps} via {Consul}", config.Node, string.Join(", ", config.Apps.Select(a => a.Name)), config.Consul.Address);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scraping = source.RunAsync(() => service.LeadsAnyApp, stop.Token);
        try
        {
            await service.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await scraping.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped with the service
            }
        }

        return 0;
    }
}
