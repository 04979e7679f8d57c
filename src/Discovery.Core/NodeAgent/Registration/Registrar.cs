using System.Collections.Concurrent;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.Resilience;
using Discovery.Core.Observability;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Timing;
using Microsoft.Extensions.Logging;
using Polly;

namespace Discovery.Core.NodeAgent.Registration;

/// <summary>
/// Keeps the local Consul agent's view of this node equal to what the node agent runs: registers
/// instances once they first run, keeps their TTL checks current, and runs anti-entropy — on a
/// timer, after any failed write and whenever a TTL update is refused (Consul lost its state) —
/// that registers what is missing and deregisters what this node no longer runs. Consul being
/// unreachable only delays this; nothing here ever stops an instance.
/// </summary>
internal sealed partial class Registrar
{
    private readonly ConsulClient _consul;
    private readonly NodeAgentConfig _config;
    private readonly NodeAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly WakeSignal _wake;
    private readonly SemaphoreSlim _consulWrites = new(1, 1);
    private readonly ResiliencePipeline _roundRetry;
    private readonly ResiliencePipeline _maintenanceRetry;
    private volatile bool _syncNeeded = true;
    private int _failures;

    public Registrar(ConsulClient consul, NodeAgentConfig config, NodeAgentOptions options, TimeProvider time, ILogger<Registrar> logger)
    {
        _consul = consul;
        _config = config;
        _options = options;
        _time = time;
        _logger = logger;
        _wake = new WakeSignal(time);
        _roundRetry = ConsulRetry.Create(options.ConsulRetry, time, (error, delay) =>
        {
            _failures++;
            _syncNeeded = true; // whatever failed, a full sync afterwards finds out what Consul holds
            LogRetrying(error.Message, delay);
        });
        _maintenanceRetry = ConsulRetry.Create(options.ConsulRetry, time);
    }

    /// <summary>Follows a supervisor: registered when it first runs, TTL state from its events.</summary>
    public void Track(InstanceSupervisor supervisor)
    {
        var spec = supervisor.Spec;
        if (supervisor.Status.Process is { } adopted)
        {
            // Known before the first sync, so anti-entropy does not mistake the adopted instance's
            // registration for an orphan and flap it out of the catalog and back.
            _entries.TryAdd(spec.InstanceId, new Entry(spec) { Alive = AliveStatus.Passing($"adopted, pid {adopted.Pid}"), StartedAt = adopted.StartedAt() });
        }

        supervisor.Changed += instanceEvent =>
        {
            if (AliveStatus.FromEvent(instanceEvent) is not { } alive)
            {
                return;
            }

            var entry = _entries.GetOrAdd(spec.InstanceId, _ => new Entry(spec));
            if (instanceEvent is { Kind: InstanceEventKind.Running, Process: { } process })
            {
                entry.StartedAt = process.StartedAt() ?? instanceEvent.At;
            }

            entry.Alive = alive;
            entry.Dirty = true;
            _wake.Set();
        };
    }

    /// <summary>Puts an instance into maintenance (out of every passing set); retried until it sticks or <paramref name="cancellationToken"/> fires.</summary>
    public async Task EnableMaintenanceAsync(string instanceId, string reason, CancellationToken cancellationToken)
    {
        if (_entries.TryGetValue(instanceId, out var entry))
        {
            entry.Draining = reason;
        }

        await _maintenanceRetry.ExecuteAsync(
            async token =>
            {
                try
                {
                    await WriteAsync(ct => _consul.Agent.EnableServiceMaintenanceAsync(instanceId, reason, cancellationToken: ct), token).ConfigureAwait(false);
                }
                catch (ConsulException error)
                {
                    LogConsulFailed($"maintenance on {instanceId}", error.Message);
                    throw;
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets an instance and deregisters it; when Consul cannot be reached, anti-entropy removes it later as an orphan.</summary>
    public async Task DeregisterAsync(string instanceId, CancellationToken cancellationToken)
    {
        _entries.TryRemove(instanceId, out _);
        try
        {
            await WriteAsync(token => _consul.Agent.DeregisterServiceAsync(instanceId, cancellationToken: token), cancellationToken).ConfigureAwait(false);
            LogDeregistered(instanceId);
        }
        catch (ConsulException error)
        {
            LogConsulFailed($"deregister {instanceId}", error.Message);
            RequestSync();
        }
    }

    /// <summary>Deregisters the agent's own service (clean shutdown).</summary>
    public async Task DeregisterAgentAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(token => _consul.Agent.DeregisterServiceAsync(ServiceRegistrationFactory.AgentServiceId(_config.Name), cancellationToken: token), cancellationToken).ConfigureAwait(false);
        }
        catch (ConsulException error)
        {
            LogConsulFailed("deregister the agent", error.Message);
        }
    }

    public void RequestSync()
    {
        _syncNeeded = true;
        _wake.Set();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var lastSync = _time.GetTimestamp();
        var lastPass = lastSync;
        while (!cancellationToken.IsCancellationRequested)
        {
            // One round: a sync when one is needed or due, else the TTL updates. A failed round is
            // retried (as a sync) until Consul answers; nothing here stops an instance meanwhile.
            await _roundRetry.ExecuteAsync(
                async token =>
                {
                    if (_syncNeeded || _time.GetElapsedTime(lastSync) >= _options.AntiEntropy)
                    {
                        await SyncAsync(token).ConfigureAwait(false);
                        lastSync = _time.GetTimestamp();
                        lastPass = lastSync;
                        return;
                    }

                    var passAll = _time.GetElapsedTime(lastPass) >= _options.TtlPass;
                    await UpdateTtlsAsync(passAll, token).ConfigureAwait(false);
                    if (passAll)
                    {
                        lastPass = _time.GetTimestamp();
                    }
                },
                cancellationToken).ConfigureAwait(false);
            if (_failures > 0)
            {
                LogConsulBack();
                _failures = 0;
            }

            // Sleep exactly until the next pass or sync is due (a fixed sleep plus a ">= interval"
            // test would skip a pass whenever the timer fires a hair early, doubling the period).
            var untilPass = _options.TtlPass - _time.GetElapsedTime(lastPass);
            var untilSync = _options.AntiEntropy - _time.GetElapsedTime(lastSync);
            await _wake.WaitAsync(untilPass < untilSync ? untilPass : untilSync, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Anti-entropy: make the agent's services for this node exactly our entries plus the agent itself.</summary>
    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        _syncNeeded = true;
        var present = await _consul.Agent.ServicesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var agentId = ServiceRegistrationFactory.AgentServiceId(_config.Name);
        var agentRegistration = ServiceRegistrationFactory.ForAgent(_config.Name, _config.AdvertiseAddress, _config.Apps.Select(app => app.Name), _options.Ttl, _config.Monitoring?.Address);
        if (!present.ContainsKey(agentId))
        {
            await WriteAsync(token => _consul.Agent.RegisterServiceAsync(agentRegistration, true, cancellationToken: token), cancellationToken).ConfigureAwait(false);
            LogRegistered(agentId);
        }

        await WriteAsync(token => _consul.Agent.PassTtlAsync(ServiceRegistrationFactory.AgentCheckId(_config.Name), "node agent running", cancellationToken: token), cancellationToken).ConfigureAwait(false);

        foreach (var (id, service) in present)
        {
            if (id != agentId && ServiceRegistrationFactory.IsOurs(service, _config.Name) && !_entries.ContainsKey(id))
            {
                await WriteAsync(token => _consul.Agent.DeregisterServiceAsync(id, cancellationToken: token), cancellationToken).ConfigureAwait(false);
                LogOrphanRemoved(id);
            }
        }

        foreach (var entry in _entries.Values.Where(entry => present.ContainsKey(entry.Spec.InstanceId)))
        {
            await PushTtlAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        await RegisterAllAsync(_entries.Values.Where(entry => !present.ContainsKey(entry.Spec.InstanceId)), cancellationToken).ConfigureAwait(false);
        _syncNeeded = false;
    }

    private async Task UpdateTtlsAsync(bool passAll, CancellationToken cancellationToken)
    {
        if (passAll)
        {
            await WriteAsync(token => _consul.Agent.PassTtlAsync(ServiceRegistrationFactory.AgentCheckId(_config.Name), "node agent running", cancellationToken: token), cancellationToken).ConfigureAwait(false);
        }

        foreach (var entry in _entries.Values.Where(entry => entry.Registered && (passAll || entry.Dirty)))
        {
            await PushTtlAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        await RegisterAllAsync(_entries.Values.Where(entry => !entry.Registered), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Registers several new instances side by side: each is registered as soon as its own
    /// readiness probe ends (up to 3 s for a slow starter), so a scale-up of many instances on one
    /// node is routed as each becomes ready, not one probe after another. Consul writes stay one
    /// at a time.
    /// </summary>
    private async Task RegisterAllAsync(IEnumerable<Entry> entries, CancellationToken cancellationToken)
    {
        var registrations = entries.Select(entry => RegisterAsync(entry, cancellationToken)).ToList();
        if (registrations.Count > 0)
        {
            await Task.WhenAll(registrations).ConfigureAwait(false);
        }
    }

    private async Task RegisterAsync(Entry entry, CancellationToken cancellationToken)
    {
        entry.Dirty = false;
        // Probe readiness once, before the first registration: Consul staggers a new HTTP check's
        // first run by up to one interval, so an instance registered "critical until checked"
        // would wait ~1 s for traffic it could already serve. What we saw answer 200 just now is
        // registered passing; Consul's own check takes over from there.
        entry.ReadyAtRegistration ??= entry.Alive.Status == CheckStatus.Passing
            && await ReadinessProbe.WaitUntilHealthyAsync(entry.Spec, ReadinessProbe.Bound(entry.Spec.App.Health), _time, cancellationToken).ConfigureAwait(false);
        var registration = ServiceRegistrationFactory.ForInstance(entry.Spec, entry.Alive, _options.Ttl, _options.DeregisterCritical, entry.ReadyAtRegistration == true, entry.StartedAt);
        await WriteAsync(token => _consul.Agent.RegisterServiceAsync(registration, true, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (entry.Draining is { } reason)
        {
            // Consul lost its state mid-drain: the instance must not come back into rotation.
            await WriteAsync(token => _consul.Agent.EnableServiceMaintenanceAsync(entry.Spec.InstanceId, reason, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        }

        if (!_entries.ContainsKey(entry.Spec.InstanceId))
        {
            // Deregistered while we registered it: undo, so no orphan is left behind.
            await WriteAsync(token => _consul.Agent.DeregisterServiceAsync(entry.Spec.InstanceId, cancellationToken: token), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!entry.Registered && !entry.RegistrationTimed && entry.StartedAt is { } startedAt)
        {
            entry.RegistrationTimed = true;
            NodeAgentMetrics.RegistrationLatency.WithLabels(entry.Spec.App.Name, entry.Spec.NodeName).Observe(Math.Max(0, (_time.GetUtcNow() - startedAt).TotalSeconds));
        }

        entry.Registered = true;
        LogRegistered(entry.Spec.InstanceId);
    }

    private async Task PushTtlAsync(Entry entry, CancellationToken cancellationToken)
    {
        entry.Dirty = false;
        var alive = entry.Alive;
        try
        {
            await WriteAsync(token => _consul.Agent.UpdateTtlCheckAsync(ServiceRegistrationFactory.AliveCheckId(entry.Spec.InstanceId), alive.Status, alive.Output, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        }
        catch (ConsulApiException)
        {
            // The check is unknown: Consul lost its state (or someone deregistered us). Re-sync.
            entry.Registered = false;
            throw;
        }
    }

    private async Task WriteAsync(Func<CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        await _consulWrites.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await write(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _consulWrites.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registered {ServiceId}")]
    private partial void LogRegistered(string serviceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "deregistered {ServiceId}")]
    private partial void LogDeregistered(string serviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "deregistered orphan {ServiceId}: this node no longer runs it")]
    private partial void LogOrphanRemoved(string serviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consul write failed ({What}): {Reason}")]
    private partial void LogConsulFailed(string what, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "registration sync failed, retrying in {Delay}: {Reason}")]
    private partial void LogRetrying(string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Consul reachable again; registrations re-synced")]
    private partial void LogConsulBack();

    private sealed class Entry(InstanceSpec spec)
    {
        public InstanceSpec Spec { get; } = spec;

        public volatile AliveStatus Alive = AliveStatus.Critical("starting");

        public volatile bool Dirty;

        public volatile bool Registered;

        /// <summary>Whether the app answered its health path before the first registration (then registered passing).</summary>
        public bool? ReadyAtRegistration;

        /// <summary>When the instance's process started (meta <c>started</c>, shown as age by `agent status`).</summary>
        public DateTimeOffset? StartedAt;

        public volatile string? Draining;

        /// <summary>Whether its start-to-registration time was counted (once, not on re-registrations after a Consul restart).</summary>
        public bool RegistrationTimed;
    }
}
