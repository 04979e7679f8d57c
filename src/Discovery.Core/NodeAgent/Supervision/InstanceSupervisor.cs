using Discovery.Core.Observability;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>
/// Keeps one instance running: starts it (or takes over an adopted process), restarts it after every
/// exit with the <see cref="RestartHistory"/> backoff, bounds its log, and on <see cref="StopAsync"/>
/// stops its whole process group (SIGTERM, stop timeout, SIGKILL). One loop owns the process, so
/// start, exit handling and stop never race. Subscribe to <see cref="Changed"/> before <see cref="Start"/>.
/// Draining (taking the instance out of rotation first) is the caller's job, before StopAsync.
/// </summary>
public sealed partial class InstanceSupervisor : IAsyncDisposable
{
    private readonly IProcessLauncher _launcher;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly Func<double> _jitterSample;
    private readonly RestartHistory _history;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _statusLock = new();
    private IProcessHandle? _process;
    private InstanceStatus _status;
    private Task? _loop;
    private volatile bool _abandon;

    /// <param name="adopted">A live process a previous agent run started for this instance; supervised instead of starting a new one.</param>
    /// <param name="jitterSample">Uniform samples in [0, 1) for backoff jitter; default Random.Shared.</param>
    public InstanceSupervisor(
        InstanceSpec spec,
        IProcessLauncher launcher,
        TimeProvider timeProvider,
        ILogger<InstanceSupervisor>? logger = null,
        IProcessHandle? adopted = null,
        Func<double>? jitterSample = null)
    {
        Spec = spec;
        _launcher = launcher;
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger<InstanceSupervisor>.Instance;
        _process = adopted;
        _jitterSample = jitterSample ?? Random.Shared.NextDouble;
        _history = new RestartHistory(spec.App.Restart);
        _status = new InstanceStatus(InstanceState.Starting, adopted?.Identity, timeProvider.GetUtcNow(), null, null, null, 0);
    }

    public InstanceSpec Spec { get; }

    /// <summary>How often the log size is checked while the instance runs.</summary>
    public TimeSpan LogCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Raised on the supervisor's loop for every transition; handlers must be quick and must not throw.</summary>
    public event Action<InstanceEvent>? Changed;

    public InstanceStatus Status
    {
        get
        {
            lock (_statusLock)
            {
                return _status;
            }
        }
    }

    /// <summary>Completes when the supervisor has stopped (after <see cref="StopAsync"/>).</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException($"{Spec.InstanceId} was already started");
        }

        _loop = Task.Run(RunAsync);
    }

    /// <summary>Stops restarting and stops the process group; idempotent.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Lets go of the instance without stopping it, as a crashing agent would; the next agent run
    /// adopts it from the state file. Used by tests and by a deliberate agent upgrade.
    /// </summary>
    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        _abandon = true;
        await StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                var process = _process ?? Launch();
                var startedAt = _timeProvider.GetUtcNow();
                int? exitCode = null;
                if (process is not null)
                {
                    Transition(InstanceState.Running, new InstanceEvent(Spec.InstanceId, InstanceEventKind.Running, startedAt, Process: process.Identity), status => status with { Process = process.Identity, BackingOffUntil = null });
                    exitCode = await WaitForExitOrStopAsync(process).ConfigureAwait(false);
                    if (_stop.IsCancellationRequested)
                    {
                        await StopProcessAsync(process).ConfigureAwait(false);
                        return;
                    }

                    process.Dispose();
                    _process = null;
                }

                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                var exitedAt = _timeProvider.GetUtcNow();
                Transition(InstanceState.BackingOff, new InstanceEvent(Spec.InstanceId, InstanceEventKind.Exited, exitedAt, ExitCode: exitCode), status => status with { Process = null, LastExitCode = exitCode, Restarts = status.Restarts + 1 });
                NodeAgentMetrics.Restarts.WithLabels(Spec.App.Name, Spec.NodeName).Inc();
                LogExited(Spec.InstanceId, exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown");

                var decision = _history.RecordExit(exitedAt, exitedAt - startedAt, exitCode, InstanceLog.ReadLastLine(Spec.LogPath), _jitterSample());
                var until = exitedAt + decision.Delay;
                if (decision.CrashLoopStarted)
                {
                    NodeAgentMetrics.CrashLoops.WithLabels(Spec.App.Name, Spec.NodeName).Inc();
                    LogCrashLooping(Spec.InstanceId, decision.CrashLoopReason!);
                    Transition(InstanceState.CrashLooping, new InstanceEvent(Spec.InstanceId, InstanceEventKind.CrashLooping, exitedAt, Reason: decision.CrashLoopReason), status => status);
                }

                var state = decision.CrashLoopReason is null ? InstanceState.BackingOff : InstanceState.CrashLooping;
                Transition(state, new InstanceEvent(Spec.InstanceId, InstanceEventKind.BackingOff, exitedAt, Until: until, Reason: decision.CrashLoopReason), status => status with { BackingOffUntil = until, CrashLoopReason = decision.CrashLoopReason });
                try
                {
                    await Task.Delay(decision.Delay, _timeProvider, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            Transition(InstanceState.Stopped, new InstanceEvent(Spec.InstanceId, InstanceEventKind.Stopped, _timeProvider.GetUtcNow()), status => status with { Process = null, BackingOffUntil = null });
        }
        catch (Exception exception)
        {
            // The loop must never die silently: a supervisor that stopped supervising is an orphan maker.
            LogLoopFailed(exception, Spec.InstanceId);
            throw;
        }
    }

    private IProcessHandle? Launch()
    {
        Transition(InstanceState.Starting, new InstanceEvent(Spec.InstanceId, InstanceEventKind.Starting, _timeProvider.GetUtcNow()), status => status with { Process = null });
        try
        {
            InstanceLog.TrimIfLarger(Spec.LogPath, Spec.App.LogMaxBytes);
            _process = _launcher.Launch(Spec.ToLaunchSpec());
            return _process;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // E.g. a missing working directory. Recorded in the instance log so that the crash-loop
            // reason ("last log line: …") names the cause.
            InstanceLog.AppendAgentLine(Spec.LogPath, $"failed to start: {exception.Message}");
            LogLaunchFailed(exception, Spec.InstanceId);
            return null;
        }
    }

    private async Task<int?> WaitForExitOrStopAsync(IProcessHandle process)
    {
        using var processDone = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var exit = process.WaitForExitAsync(processDone.Token);
        try
        {
            while (!exit.IsCompleted)
            {
                var tick = Task.Delay(LogCheckInterval, _timeProvider, processDone.Token);
                await Task.WhenAny(exit, tick).ConfigureAwait(false);
                if (_stop.IsCancellationRequested)
                {
                    return null;
                }

                if (!exit.IsCompleted)
                {
                    InstanceLog.TrimIfLarger(Spec.LogPath, Spec.App.LogMaxBytes);
                }
            }

            // A stop requested before the wait began leaves `exit` cancelled without entering the
            // loop; that is a stop, not a failure of the supervisor loop.
            if (_stop.IsCancellationRequested)
            {
                return null;
            }

            return await exit.ConfigureAwait(false);
        }
        finally
        {
            await processDone.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task StopProcessAsync(IProcessHandle process)
    {
        if (_abandon)
        {
            process.Dispose();
            _process = null;
            return;
        }

        Transition(InstanceState.Stopping, new InstanceEvent(Spec.InstanceId, InstanceEventKind.Stopping, _timeProvider.GetUtcNow(), Process: process.Identity), status => status);
        var graceful = await ProcessGroupStopper.StopAsync(process, Spec.App.StopTimeout, _timeProvider, CancellationToken.None).ConfigureAwait(false);
        if (!graceful)
        {
            LogKilled(Spec.InstanceId, Spec.App.StopTimeout.TotalSeconds);
        }

        process.Dispose();
        _process = null;
        Transition(InstanceState.Stopped, new InstanceEvent(Spec.InstanceId, InstanceEventKind.Stopped, _timeProvider.GetUtcNow()), status => status with { Process = null, BackingOffUntil = null });
    }

    private void Transition(InstanceState state, InstanceEvent instanceEvent, Func<InstanceStatus, InstanceStatus> update)
    {
        lock (_statusLock)
        {
            _status = update(_status) with { State = state, Since = instanceEvent.At };
        }

        try
        {
            Changed?.Invoke(instanceEvent);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(exception, Spec.InstanceId, instanceEvent.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{InstanceId} exited with code {ExitCode}")]
    private partial void LogExited(string instanceId, string exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{InstanceId} is crash-looping: {Reason}")]
    private partial void LogCrashLooping(string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{InstanceId} ignored SIGTERM for {StopTimeoutSeconds}s and was killed")]
    private partial void LogKilled(string instanceId, double stopTimeoutSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{InstanceId} could not be started")]
    private partial void LogLaunchFailed(Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "supervisor loop of {InstanceId} failed")]
    private partial void LogLoopFailed(Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Error, Message = "a handler of {InstanceId}'s {Kind} event failed")]
    private partial void LogHandlerFailed(Exception exception, string instanceId, InstanceEventKind kind);
}
