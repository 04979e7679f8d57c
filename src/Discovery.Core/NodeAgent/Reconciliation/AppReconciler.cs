using System.Net;
using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Draining;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;
using Discovery.Core.Timing;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>
/// Converges one app on this node to its desired count: the scaler's placement key for the node
/// (followed with a blocking watch) or the app's default when the key is absent. Starts instances
/// on free ports, leaves restarts to their supervisors, and drains the surplus in the background.
/// While Consul has never answered, the placement is unknown and nothing is drained.
/// </summary>
internal sealed partial class AppReconciler
{
    private readonly AppConfig _app;
    private readonly NodeAgentConfig _node;
    private readonly ConsulClient _consul;
    private readonly Registrar _registrar;
    private readonly InstanceDrainer _drainer;
    private readonly InstanceStateStore _store;
    private readonly IProcessLauncher _launcher;
    private readonly NodeAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly List<Managed> _live = [];
    private readonly Dictionary<string, (InstanceSupervisor Supervisor, Task Drain)> _draining = new(StringComparer.Ordinal);
    private readonly WakeSignal _wake;
    private long _sequence;
    private int? _desired;
    private IReadOnlyDictionary<string, int>? _versions; // null: the plain count form, all of the config's version
    private bool _placementKnown;
    private readonly HashSet<string> _reportedUnrunnable = new(StringComparer.Ordinal);

    public AppReconciler(AppConfig app, NodeAgentConfig node, ConsulClient consul, Registrar registrar, InstanceDrainer drainer, InstanceStateStore store,
        IProcessLauncher launcher, NodeAgentOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        _app = app;
        _node = node;
        _consul = consul;
        _registrar = registrar;
        _drainer = drainer;
        _store = store;
        _launcher = launcher;
        _options = options;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger<AppReconciler>();
        _wake = new WakeSignal(time);
    }

    /// <summary>The app this reconciler runs.</summary>
    public AppConfig App => _app;

    /// <summary>Instances counted towards the desired number (not draining).</summary>
    public IReadOnlyList<InstanceSupervisor> Live
    {
        get
        {
            lock (_lock)
            {
                return _live.Select(managed => managed.Supervisor).ToList();
            }
        }
    }

    /// <summary>Instance IDs being drained right now.</summary>
    public IReadOnlyList<string> Draining
    {
        get
        {
            lock (_lock)
            {
                return [.. _draining.Keys];
            }
        }
    }

    /// <summary>The desired count in force; null while the placement is unknown.</summary>
    public int? Desired
    {
        get
        {
            lock (_lock)
            {
                return _placementKnown ? _desired : null;
            }
        }
    }

    /// <summary>Supervises instances a previous run left running; call before <see cref="RunAsync"/>.</summary>
    public void Adopt(IEnumerable<AdoptedInstance> adopted)
    {
        foreach (var instance in adopted.Where(candidate => candidate.Spec.App.Name == _app.Name))
        {
            StartSupervisor(instance.Spec, instance.Process);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var watch = WatchPlacementAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Converge();
                await _wake.WaitAsync(_options.Reconcile, cancellationToken).ConfigureAwait(false); // a change, or the periodic pass
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        try
        {
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Ends this app's instances: waits for running drains, then drains and stops every instance
    /// (<paramref name="stopInstances"/>) or lets go of them for the next agent run to adopt.
    /// </summary>
    public async Task ShutdownAsync(bool stopInstances, CancellationToken cancellationToken)
    {
        List<Managed> live;
        lock (_lock)
        {
            live = [.. _live];
        }

        if (stopInstances)
        {
            var drains = live.Select(managed => DrainInBackground(managed, "node agent shutting down")).ToList();
            await Task.WhenAll(drains).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            lock (_lock)
            {
                _live.Clear();
            }

            foreach (var managed in live)
            {
                await managed.Supervisor.AbandonAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        Task[] remaining;
        lock (_lock)
        {
            remaining = [.. _draining.Values.Select(entry => entry.Drain)];
        }

        await Task.WhenAll(remaining).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lets go of every instance without a Consul write, like a killed agent (tests, upgrades).</summary>
    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        List<InstanceSupervisor> all;
        lock (_lock)
        {
            all = [.. _live.Select(managed => managed.Supervisor), .. _draining.Values.Select(entry => entry.Supervisor)];
            _live.Clear();
        }

        foreach (var supervisor in all)
        {
            await supervisor.AbandonAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Follows this node's placement key. Only a change of its content counts: before the scaler
    /// places anything the key is missing, and a blocking read of a missing key returns on every KV
    /// write anywhere.
    /// </summary>
    private async Task WatchPlacementAsync(CancellationToken cancellationToken)
    {
        var key = _options.PlacementKey(_app.Name, _node.Name);
        var changes = BlockingWatch.WatchAsync(
                (options, token) => _consul.KV.GetAsync(key, options, token),
                onError: (error, delay) => LogPlacementUnreadable(key, error.Message, delay),
                time: _time,
                cancellationToken: cancellationToken)
            .Select(result => result.Value)
            .WhereChanged(KVPairComparer.Content, _ => LogPlacementUnchanged(key), cancellationToken);
        await foreach (var pair in changes.ConfigureAwait(false))
        {
            var placement = PlacementValue.Parse(pair?.ValueAsString());
            if (placement.Error is { } error)
            {
                LogPlacementInvalid(key, error);
                continue;
            }

            var desired = placement.Count ?? _app.DefaultInstances;
            bool changed;
            lock (_lock)
            {
                changed = !_placementKnown || _desired != desired || !PlacementValue.SameVersions(_versions, placement.Versions);
                _desired = desired;
                _versions = placement.Versions;
                _placementKnown = true;
            }

            if (changed)
            {
                var versions = placement.Versions is { } map ? " " + PlacementValue.Format(map) : "";
                LogDesired(_app.Name, desired, (placement.Count is null ? "default, no placement key" : key) + versions);
                _wake.Set();
            }
        }
    }

    /// <summary>One pass per version (<see cref="VersionedConvergencePlanner"/>); surplus drains LB-confirmed like any scale-in.</summary>
    private void Converge()
    {
        IReadOnlyList<(string Version, ConvergencePlan Plan)> plans;
        lock (_lock)
        {
            var views = _live.Select(managed => new VersionedInstanceView(
                managed.Supervisor.Spec.App.Version,
                new InstanceView(managed.Supervisor.Spec.InstanceId, managed.Supervisor.Status.State, managed.Sequence))).ToList();
            plans = VersionedConvergencePlanner.Plan(_placementKnown ? _desired : null, _versions, _app.Version, _app.DefaultInstances, views,
                version => AppVersions.WhyNot(_app, version), ReportUnrunnable);
        }

        foreach (var (version, plan) in plans)
        {
            for (var started = 0; started < plan.Start; started++)
            {
                if (!StartNew(version))
                {
                    break;
                }
            }

            foreach (var instanceId in plan.Drain)
            {
                Managed? managed;
                lock (_lock)
                {
                    managed = _live.FirstOrDefault(candidate => candidate.Supervisor.Spec.InstanceId == instanceId);
                }

                if (managed is not null)
                {
                    _ = DrainInBackground(managed, "scaled down");
                }
            }
        }
    }

    /// <summary>Logs a version this node cannot run once per reason, not on every pass.</summary>
    private void ReportUnrunnable(string version, string whyNot)
    {
        if (_reportedUnrunnable.Add($"{version}\n{whyNot}"))
        {
            LogCannotRun(_app.Name, version, whyNot);
        }
    }

    private bool StartNew(string version)
    {
        HashSet<int> taken;
        lock (_lock)
        {
            taken = [.. _live.Select(managed => managed.Supervisor.Spec.Port), .. _draining.Values.Select(entry => entry.Supervisor.Spec.Port)];
        }

        taken.UnionWith(_store.Records.Where(record => record.App == _app.Name).Select(record => record.Port));
        var port = PortAllocator.FindFreePort(IPAddress.Parse(_node.AdvertiseAddress), _app.Ports, taken);
        if (port is null)
        {
            LogNoFreePort(_app.Name, _app.Ports.ToString());
            return false;
        }

        var spec = InstanceSpec.Create(_node, AppVersions.ForVersion(_app, version), port.Value);
        StartSupervisor(spec, adopted: null);
        LogStarted(spec.InstanceId, version);
        return true;
    }

    private void StartSupervisor(InstanceSpec spec, IProcessHandle? adopted)
    {
        var supervisor = new InstanceSupervisor(spec, _launcher, _time, _loggers.CreateLogger<InstanceSupervisor>(), adopted);
        _store.Track(supervisor);
        _registrar.Track(supervisor);
        lock (_lock)
        {
            _live.Add(new Managed(supervisor, ++_sequence));
        }

        supervisor.Start();
    }

    private Task DrainInBackground(Managed managed, string reason)
    {
        var instanceId = managed.Supervisor.Spec.InstanceId;
        lock (_lock)
        {
            if (_draining.TryGetValue(instanceId, out var running))
            {
                return running.Drain;
            }

            _live.Remove(managed);
            var drain = RunDrainAsync(managed.Supervisor, reason);
            _draining[instanceId] = (managed.Supervisor, drain);
            return drain;
        }
    }

    private async Task RunDrainAsync(InstanceSupervisor supervisor, string reason)
    {
        // Off the caller's stack, so that the lock in DrainInBackground is never held across an await.
        await Task.Yield();
        try
        {
            // Not cancellable on purpose: the agent's own shutdown must not cut a drain short; the
            // drain and stop timeouts bound it.
            await _drainer.DrainAsync(supervisor, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            LogDrainFailed(error, supervisor.Spec.InstanceId);
        }
        finally
        {
            lock (_lock)
            {
                _draining.Remove(supervisor.Spec.InstanceId);
            }

            try
            {
                // Stops the group if the drain failed before it could; a no-op otherwise.
                await supervisor.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                LogDrainFailed(error, supervisor.Spec.InstanceId);
            }

            _wake.Set();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{App}: desired {Desired} instance(s) ({Source})")]
    private partial void LogDesired(string app, int desired, string source);

    [LoggerMessage(Level = LogLevel.Debug, Message = "placement key {Key} woke the watch without a change")]
    private partial void LogPlacementUnchanged(string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "placement key {Key} ignored, keeping the current count: {Error}")]
    private partial void LogPlacementInvalid(string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot read placement {Key} (retrying in {Delay}; instances keep running): {Reason}")]
    private partial void LogPlacementUnreadable(string key, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: not starting version {Version}: {Reason}")]
    private partial void LogCannotRun(string app, string version, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "started {InstanceId} (version {Version})")]
    private partial void LogStarted(string instanceId, string version);

    [LoggerMessage(Level = LogLevel.Error, Message = "{App}: no free port in {Ports}")]
    private partial void LogNoFreePort(string app, string ports);

    [LoggerMessage(Level = LogLevel.Error, Message = "drain of {InstanceId} failed; stopping it")]
    private partial void LogDrainFailed(Exception error, string instanceId);

    private sealed record Managed(InstanceSupervisor Supervisor, long Sequence);
}
