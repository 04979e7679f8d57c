using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Observability;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.NodeAgent.Hosting;

/// <summary>
/// The node agent's <c>/health</c> and <c>/metrics</c>: instance-state and per-instance /proc gauges
/// are computed when scraped (nothing runs between scrapes), restarts and latencies are counted where
/// they happen (<see cref="NodeAgentMetrics"/>). Healthy = Consul answers and every loop runs.
/// </summary>
internal sealed class NodeAgentMonitoring
{
    private readonly NodeAgentRuntime _runtime;
    private readonly string _node;
    private readonly ProcessResourceSampler _sampler;
    private readonly Lock _lock = new();
    private HashSet<(string App, string Instance)> _published = [];

    private NodeAgentMonitoring(NodeAgentRuntime runtime, string node, TimeProvider time)
    {
        _runtime = runtime;
        _node = node;
        _sampler = new ProcessResourceSampler(time);
    }

    /// <summary>Serves /health and /metrics for <paramref name="runtime"/>; null when the config has no monitoring section.</summary>
    public static MonitoringServer? Start(NodeAgentRuntime runtime, Configuration.NodeAgentConfig config, TimeProvider time, ILogger logger)
    {
        if (config.Monitoring is not { } monitoring)
        {
            return null;
        }

        var collector = new NodeAgentMonitoring(runtime, config.Name, time);
        MetricCatalog.Registry.AddBeforeCollectCallback(collector.Collect);
        var health = new HealthState(runtime.Consul, monitoring.ConsulStaleAfter, time);
        foreach (var (name, loop) in runtime.Loops)
        {
            health.AddLoop(name, () => loop);
        }

        return MonitoringServer.Start(monitoring, health, logger);
    }

    private void Collect()
    {
        lock (_lock)
        {
            var published = new HashSet<(string App, string Instance)>();
            var alive = new HashSet<ProcessIdentity>();
            foreach (var app in _runtime.Apps)
            {
                var name = app.App.Name;
                var counts = Enum.GetValues<InstanceState>().ToDictionary(state => StateLabel(state), _ => 0);
                counts["draining"] = app.Draining.Count;
                foreach (var supervisor in app.Live)
                {
                    var status = supervisor.Status;
                    counts[StateLabel(status.State)]++;
                    if (status.Process is { } process && _sampler.Sample(process) is { } sample)
                    {
                        alive.Add(process);
                        var instance = supervisor.Spec.InstanceId;
                        NodeAgentMetrics.InstanceCpu.WithLabels(name, _node, instance).Set(Math.Round(sample.CpuPercent, 2));
                        NodeAgentMetrics.InstanceRss.WithLabels(name, _node, instance).Set(sample.RssBytes);
                        published.Add((name, instance));
                    }
                }

                foreach (var (state, count) in counts)
                {
                    NodeAgentMetrics.Instances.WithLabels(name, _node, state).Set(count);
                }
            }

            // An instance that is gone takes its gauges with it: cardinality stays the node's size.
            foreach (var (app, instance) in _published.Except(published))
            {
                NodeAgentMetrics.InstanceCpu.RemoveLabelled(app, _node, instance);
                NodeAgentMetrics.InstanceRss.RemoveLabelled(app, _node, instance);
            }

            _published = published;
            _sampler.Retain(alive);
        }
    }

    private static string StateLabel(InstanceState state) => state switch
    {
        InstanceState.Starting => "starting",
        InstanceState.Running => "running",
        InstanceState.BackingOff => "backing-off",
        InstanceState.CrashLooping => "crash-looping",
        InstanceState.Stopping => "stopping",
        _ => "stopped",
    };
}
