using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>
/// Starts the lab's processes, each in its own process group (setsid) with its log under the lab
/// folder, records them in state.json as they start, and stops them in reverse order: SIGTERM to the
/// group, SIGKILL after a timeout. Stopping a recorded process first checks pid + start time.
/// </summary>
internal sealed class LabProcesses(string stateFile, LabState initialState, TimeProvider time, ILogger logger)
{
    // Long enough for a node agent to drain its instances (they exit as soon as nothing is in flight).
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly SetsidProcessLauncher _launcher = new(time);
    private readonly List<(LabProcessRecord Record, IProcessHandle Handle)> _started = [];
    private LabState _state = initialState;

    public IReadOnlyList<LabProcessRecord> Records => _state.Processes;

    public LabState State => _state;

    public IProcessHandle Start(string name, int tier, string command, IReadOnlyList<string> args, string logFile, string? workingDirectory = null)
    {
        var handle = _launcher.Launch(new ProcessLaunchSpec(command, args, new Dictionary<string, string>(), workingDirectory, logFile));
        var record = new LabProcessRecord(name, handle.Identity.Pid, handle.Identity.StartTime, logFile, tier);
        _started.Add((record, handle));
        _state = _state with { Processes = [.. _state.Processes, record] };
        _state.Save(stateFile);
        LabLog.Started(logger, name, record.Pid, logFile);
        return handle;
    }

    /// <summary>True when the named process has exited (a crash during `lab up` is reported, not waited out).</summary>
    public bool HasExited(string name) =>
        _started.FirstOrDefault(entry => entry.Record.Name == name).Handle is { } handle && !handle.Identity.IsRunning();

    public void MarkDetached() => (_state = _state with { Detached = true }).Save(stateFile);

    /// <summary>Stops everything this instance started, highest tier first.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        foreach (var tier in _started.GroupBy(entry => entry.Record.Tier).OrderByDescending(group => group.Key))
        {
            await Task.WhenAll(tier.Select(entry => StopOneAsync(entry.Record, entry.Handle, time, logger, cancellationToken))).ConfigureAwait(false);
        }

        foreach (var (_, handle) in _started)
        {
            handle.Dispose();
        }

        _started.Clear();
    }

    /// <summary>Stops the processes of a recorded (detached) lab, highest tier first, skipping any whose pid now belongs to someone else.</summary>
    public static async Task<int> StopRecordedAsync(LabState state, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var launcher = new SetsidProcessLauncher(time);
        var stopped = 0;
        foreach (var tier in state.Processes.GroupBy(record => record.Tier).OrderByDescending(group => group.Key))
        {
            var running = tier.Where(record =>
            {
                // The pid is gone, or reused by an unrelated process: never signal it.
                var alive = new ProcessIdentity(record.Pid, record.StartTime).IsRunning();
                if (!alive)
                {
                    LabLog.AlreadyGone(logger, record.Name, record.Pid);
                }

                return alive;
            }).ToList();
            var handles = running.Select(record => launcher.Adopt(new ProcessIdentity(record.Pid, record.StartTime))).ToList();
            try
            {
                await Task.WhenAll(running.Zip(handles).Select(pair => StopOneAsync(pair.First, pair.Second, time, logger, cancellationToken))).ConfigureAwait(false);
            }
            finally
            {
                handles.ForEach(handle => handle.Dispose());
            }

            stopped += running.Count;
        }

        return stopped;
    }

    private static async Task StopOneAsync(LabProcessRecord record, IProcessHandle handle, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var graceful = await ProcessGroupStopper.StopAsync(handle, StopTimeout, time, cancellationToken).ConfigureAwait(false);
        LabLog.Stopped(logger, record.Name, record.Pid, graceful ? "" : " with SIGKILL");
    }
}
