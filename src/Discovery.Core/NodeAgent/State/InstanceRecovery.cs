using System.Net;
using Discovery.Core.Deploying;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Core.NodeAgent.State;

/// <summary>
/// Start-up pass over the state file: observes every record, applies <see cref="AdoptionPlanner"/>,
/// stops groups that must go, drops their records, and returns what can be adopted. Run it before
/// starting any new instance so that no port is handed out twice and nothing is left orphaned.
/// </summary>
public sealed partial class InstanceRecovery
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(1);

    private readonly NodeAgentConfig _config;
    private readonly IProcessLauncher _launcher;
    private readonly InstanceStateStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public InstanceRecovery(NodeAgentConfig config, IProcessLauncher launcher, InstanceStateStore store, TimeProvider timeProvider, ILogger<InstanceRecovery>? logger = null)
    {
        _config = config;
        _launcher = launcher;
        _store = store;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<InstanceRecovery>.Instance;
    }

    /// <summary>Also GET the health path and require 200 before adopting.</summary>
    public bool VerifyHealth { get; init; }

    public async Task<IReadOnlyList<AdoptedInstance>> RecoverAsync(CancellationToken cancellationToken)
    {
        var adopted = new List<AdoptedInstance>();
        foreach (var record in _store.Records)
        {
            var app = _config.Apps.FirstOrDefault(candidate => candidate.Name == record.App && candidate.Ports.Contains(record.Port));
            var identity = new ProcessIdentity(record.Pid, record.StartTime);
            var handle = _launcher.Adopt(identity);
            var observation = await ObserveAsync(record, identity, handle, app, cancellationToken).ConfigureAwait(false);
            var decision = AdoptionPlanner.Decide(observation);
            LogDecision(record.InstanceId, record.Pid, decision.Action, decision.Reason);
            switch (decision.Action)
            {
                case AdoptionAction.Adopt:
                    var version = VersionName.IsValid(record.Version) ? record.Version! : app!.Version;
                    adopted.Add(new AdoptedInstance(AdoptedSpec(record, AppVersions.ForVersion(app!, version)), handle));
                    continue;
                case AdoptionAction.KillGroup:
                    await ProcessGroupStopper.StopAsync(handle, app?.StopTimeout ?? AppConfig.DefaultStopTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                    break;
            }

            handle.Dispose();
            _store.Remove(record.InstanceId);
        }

        return adopted;
    }

    /// <summary>
    /// The spec of an adopted instance. The state file is only as trustworthy as its folder, and the
    /// supervisor appends to, trims and truncates the log it names: a LogPath outside this agent's
    /// log folder (say /etc/passwd) is ignored, logged, and the instance logs where a fresh one would.
    /// </summary>
    private InstanceSpec AdoptedSpec(InstanceRecord record, AppConfig app)
    {
        var spec = InstanceSpec.Create(_config, app, record.Port);
        if (record.LogPath == spec.LogPath)
        {
            return spec;
        }

        var logDir = Path.GetFullPath(_config.LogDir) + Path.DirectorySeparatorChar;
        var recorded = Path.GetFullPath(record.LogPath);
        if (recorded.StartsWith(logDir, StringComparison.Ordinal) && Path.GetDirectoryName(recorded) + Path.DirectorySeparatorChar == logDir && recorded.EndsWith(".log", StringComparison.Ordinal))
        {
            return spec with { LogPath = recorded };
        }

        LogUntrustedLogPath(record.InstanceId, record.LogPath, spec.LogPath);
        return spec;
    }

    private async Task<ProcessObservation> ObserveAsync(InstanceRecord record, ProcessIdentity identity, IProcessHandle handle, AppConfig? app, CancellationToken cancellationToken)
    {
        var current = ProcessIdentity.TryRead(record.Pid);
        var leaderRunning = current == identity;
        var address = IPAddress.Parse(_config.AdvertiseAddress);
        var listening = leaderRunning && await PortAllocator.IsListeningAsync(address, record.Port, ConnectTimeout, cancellationToken).ConfigureAwait(false);
        bool? healthy = null;
        if (VerifyHealth && listening && app is not null)
        {
            healthy = await ReadinessProbe.IsHealthyAsync(address.ToString(), record.Port, app.Health, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return new ProcessObservation(
            leaderRunning,
            PidReused: current is not null && current != identity,
            GroupExists: !leaderRunning && handle.GroupExists,
            AppConfigured: app is not null,
            listening,
            healthy);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "state file entry {InstanceId} (pid {Pid}): {Action}, {Reason}")]
    private partial void LogDecision(string instanceId, int pid, AdoptionAction action, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "state file entry {InstanceId}: ignoring log path {Recorded} (not a log file in this agent's log folder); logging to {Used}")]
    private partial void LogUntrustedLogPath(string instanceId, string recorded, string used);
}
