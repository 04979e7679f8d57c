using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Store;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// The scaler: one <see cref="AppScaler"/> leadership loop per configured app, each with its own
/// lock at <c>&lt;prefix&gt;/apps/&lt;app&gt;/leader</c>, so different apps may be led by different
/// scaler processes. Metric sources are shared and run by the caller.
/// </summary>
internal sealed class ScalerService
{
    private readonly List<(AppScaler Scaler, ILeaderLock Lock)> _apps = [];

    /// <param name="lockFactory">Creates the lock for a key (a <see cref="ConsulLeaderLock"/> in production).</param>
    public ScalerService(
        ScalerConfig config,
        ConsulClient consul,
        Func<string, ILeaderLock> lockFactory,
        IReadOnlyList<IMetricSource> sources,
        TimeProvider time,
        ILoggerFactory loggerFactory,
        AppScalerOptions? options = null)
    {
        var logger = loggerFactory.CreateLogger<ScalerService>();
        foreach (var app in config.Apps)
        {
            var keys = new ScalerKeys(config.Prefix, app.Name);
            var leaderLock = lockFactory(keys.Leader);
            _apps.Add((new AppScaler(keys, app.Policy, config.Node, consul, leaderLock, sources, time, logger, options), leaderLock));
        }
    }

    public IReadOnlyList<AppScaler> Apps => _apps.Select(a => a.Scaler).ToList();

    /// <summary>True while this process holds the leader lock of at least one app.</summary>
    public bool LeadsAnyApp => _apps.Any(a => a.Scaler.CurrentTermToken is not null);

    /// <summary>Runs every app's loop until cancelled, then releases every lock.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_apps.Select(a => a.Scaler.RunAsync(cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (_, leaderLock) in _apps)
            {
                await leaderLock.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
