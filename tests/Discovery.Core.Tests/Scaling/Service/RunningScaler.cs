using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Service;
using Discovery.Core.Tests.TestSupport;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Scaling.Service;

/// <summary>A <see cref="ScalerService"/> for "web" over real Consul and the real <see cref="ConsulLeaderLock"/>; dispose stops it and releases its lock.</summary>
internal sealed class RunningScaler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private RunningScaler(string node, ScalerService service, CapturingLoggerFactory logs)
    {
        Node = node;
        Service = service;
        Logs = logs;
        _run = service.RunAsync(_stop.Token);
    }

    public string Node { get; }

    public ScalerService Service { get; }

    public AppScaler Web => Service.Apps.Single();

    public CapturingLoggerFactory Logs { get; }

    public static RunningScaler Start(string node, ConsulClient consul, ScalingPolicy policy, IMetricSource source, ITestOutputHelper output)
    {
        var config = new ScalerConfig(
            node,
            new ConsulConnectionConfig(ConsulConnectionConfig.DefaultAddress, null, null, null),
            "discovery",
            ScalerMetricsConfig.Default,
            ScalerLockConfig.Default,
            [new ScalerAppConfig("web", policy)]);
        var logs = new CapturingLoggerFactory(output, node);
        var service = new ScalerService(
            config,
            consul,
            key => new ConsulLeaderLock(consul, new LeaderLockOptions { Key = key, CheckTtl = TimeSpan.FromSeconds(2), LockDelay = TimeSpan.Zero }, null, TimeProvider.System),
            [source],
            TimeProvider.System,
            logs,
            new AppScalerOptions { ContendAgainDelay = TimeSpan.FromMilliseconds(200) });
        return new RunningScaler(node, service, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(20));
        _stop.Dispose();
    }
}
