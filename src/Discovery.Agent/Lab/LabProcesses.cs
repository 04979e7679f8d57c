using Discovery.Agent.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Agent.Lab;

/// <summary>
/// Starts the lab's processes, each in its own process group (setsid) with its log under the lab
/// folder, records them in state.json as they start, and stops them in reverse order: SIGTERM to the
/// group, SIGKILL after a timeout. Stopping a recorded process first checks pid + start time.
/// </summary>
internal sealed class LabProcesses(string stateFile, LabState initialState, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    private readonly SetsidProcessLauncher _launcher = new(time);
    private readonly List<(LabProcessRecord Record, IProcessHandle Handle)> _started = [];
    private LabState _state = initialState;

    public IReadOnlyList<LabProcessRecord> Records => _state.Processes;

    public LabState State => _state;

    public IProcessHandle Start(string name, string command, IReadOnlyList<string> args, string logFile, string? workingDirectory = null)
    {
        var handle = _launcher.Launch(new ProcessLaunchSpec(command, args, new Dictionary<string, string>(), workingDirectory, logFile));
        var record = new LabProcessRecord(name, handle.Identity.Pid, handle.Identity.StartTime, logFile);
        _started.Add((record, handle));
        _state = _state with { Processes = [.. _state.Processes, record] };
        _state.Save(stateFile);
        logger.LogInformation("started {Process} (pid {Pid}), log {Log}", name, record.Pid, logFile);
        return handle;
    }

    /// <summary>True when the named process has exited (a crash during `lab up` is reported, not waited out).</summary>
    public bool HasExited(string name) =>
        _started.FirstOrDefault(entry => entry.Record.Name == name).Handle is { } handle && !handle.Identity.IsRunning();

    public void MarkDetached() => (_state = _state with { Detached = true }).Save(stateFile);

    /// <summary>Stops everything this instance started, newest first.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        for (var i = _started.Count - 1; i >= 0; i--)
        {
            var (record, handle) = _started[i];
            await StopOneAsync(record, handle, cancellationToken).ConfigureAwait(false);
            handle.Dispose();
        }

        _started.Clear();
    }

    /// <summary>Stops the processes of a recorded (detached) lab, newest first, skipping any whose pid now belongs to someone else.</summary>
    public static async Task<int> StopRecordedAsync(LabState state, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var launcher = new SetsidProcessLauncher(time);
        var stopped = 0;
        foreach (var record in state.Processes.Reverse())
        {
            var identity = new ProcessIdentity(record.Pid, record.StartTime);
            if (!identity.IsRunning())
            {
                // The pid is gone, or reused by an unrelated process: never signal it.
                if (ProcessGroup.Exists(record.Pid))
                {
                    logger.LogWarning("{Process}: pid {Pid} is not the process the lab started; leaving it alone", record.Name, record.Pid);
                }

                continue;
            }

            using var handle = launcher.Adopt(identity);
            await new LabProcesses("", state, time, logger).StopOneAsync(record, handle, cancellationToken).ConfigureAwait(false);
            stopped++;
        }

        return stopped;
    }

    private async Task StopOneAsync(LabProcessRecord record, IProcessHandle handle, CancellationToken cancellationToken)
    {
        var graceful = await ProcessGroupStopper.StopAsync(handle, StopTimeout, time, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("stopped {Process} (pid {Pid}){How}", record.Name, record.Pid, graceful ? "" : " with SIGKILL");
    }
}
