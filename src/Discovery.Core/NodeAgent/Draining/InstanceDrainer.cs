using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.Observability;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.NodeAgent.Supervision;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.NodeAgent.Draining;

/// <summary>
/// Takes an instance out of service without failing a client request: maintenance (it leaves
/// every passing set) → wait until no load balancer routes to it, bounded by the app's drain
/// timeout → SIGTERM, so the app finishes what is in flight → SIGKILL after the stop timeout →
/// deregister. The supervisor removes the state-file record when it reports Stopped.
/// </summary>
internal sealed partial class InstanceDrainer
{
    private static readonly WatchOptions DrainWatch = new() { Wait = TimeSpan.FromSeconds(10), MinimumInterval = TimeSpan.FromMilliseconds(20), Jitter = TimeSpan.FromMilliseconds(20) };

    private readonly ConsulClient _consul;
    private readonly Registrar _registrar;
    private readonly NodeAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public InstanceDrainer(ConsulClient consul, Registrar registrar, NodeAgentOptions options, TimeProvider time, ILogger<InstanceDrainer> logger)
    {
        _consul = consul;
        _registrar = registrar;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public async Task DrainAsync(InstanceSupervisor supervisor, string reason, CancellationToken cancellationToken)
    {
        var spec = supervisor.Spec;
        var started = _time.GetTimestamp();
        using (var drainTimeout = new CancellationTokenSource(spec.App.DrainTimeout, _time))
        using (var drainWindow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drainTimeout.Token))
        {
            try
            {
                await _registrar.EnableMaintenanceAsync(spec.InstanceId, reason, drainWindow.Token).ConfigureAwait(false);
                LogMaintenance(spec.InstanceId, reason);
                if (supervisor.Status.State == InstanceState.Running)
                {
                    await WaitUntilUnroutedAsync(spec.App.Name, spec.InstanceId, drainWindow.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogDrainTimeout(spec.InstanceId, spec.App.DrainTimeout);
            }
        }

        LogStopping(spec.InstanceId, _time.GetElapsedTime(started));
        await supervisor.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _registrar.DeregisterAsync(spec.InstanceId, CancellationToken.None).ConfigureAwait(false);
        NodeAgentMetrics.DrainDuration.WithLabels(spec.App.Name, spec.NodeName).Observe(_time.GetElapsedTime(started).TotalSeconds);
        LogDrained(spec.InstanceId, _time.GetElapsedTime(started));
    }

    private async Task WaitUntilUnroutedAsync(string app, string instanceId, CancellationToken cancellationToken)
    {
        // Both watches compare what they decide by, so writes elsewhere in KV (an empty load
        // balancer prefix answers every one of them) do not re-evaluate the drain.
        var lbKeys = BlockingWatch.WatchAsync(
                (options, token) => _consul.KV.ListAsync(_options.LoadBalancerPrefix, options, token),
                options: DrainWatch, onError: (error, _) => LogWaitError(instanceId, error.Message), time: _time, cancellationToken: cancellationToken)
            .Select(result => RoutedInstances.IsRouted(result.Value, instanceId))
            .WhereChanged(EqualityComparer<bool?>.Default, cancellationToken: cancellationToken);
        await foreach (var routed in lbKeys.ConfigureAwait(false))
        {
            if (routed == false)
            {
                LogUnrouted(instanceId, "no load balancer routes to it");
                return;
            }

            if (routed is null)
            {
                break;
            }
        }

        // No balancer publishes its routes: wait until the catalog no longer offers the instance
        // as passing, then give catalog-following balancers a moment to reload.
        var offered = BlockingWatch.WatchAsync(
                (options, token) => _consul.Health.ServiceAsync(app, passingOnly: true, options: options, cancellationToken: token),
                options: DrainWatch, onError: (error, _) => LogWaitError(instanceId, error.Message), time: _time, cancellationToken: cancellationToken)
            .Select(result => result.Value.Any(entry => entry.Service.ID == instanceId))
            .WhereChanged(EqualityComparer<bool>.Default, cancellationToken: cancellationToken);
        await foreach (var stillOffered in offered.ConfigureAwait(false))
        {
            if (!stillOffered)
            {
                break;
            }
        }

        await Task.Delay(_options.Grace, _time, cancellationToken).ConfigureAwait(false);
        LogUnrouted(instanceId, "out of the passing set (no load balancer publishes its routes)");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "draining {InstanceId}: maintenance on ({Reason})")]
    private partial void LogMaintenance(string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "draining {InstanceId}: {How}")]
    private partial void LogUnrouted(string instanceId, string how);

    [LoggerMessage(Level = LogLevel.Warning, Message = "draining {InstanceId}: drain timeout {Timeout} reached, stopping anyway")]
    private partial void LogDrainTimeout(string instanceId, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "draining {InstanceId}: Consul read failed: {Reason}")]
    private partial void LogWaitError(string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "draining {InstanceId}: sending SIGTERM after {Elapsed}")]
    private partial void LogStopping(string instanceId, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "drained {InstanceId}: stopped and deregistered after {Elapsed}")]
    private partial void LogDrained(string instanceId, TimeSpan elapsed);
}
