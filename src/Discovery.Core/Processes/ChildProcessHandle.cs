using System.Diagnostics;

namespace Discovery.Core.Processes;

/// <summary>A process this agent run started: the runtime reaps it and reports its exit code.</summary>
internal sealed class ChildProcessHandle : IProcessHandle
{
    private readonly Process _process;

    public ChildProcessHandle(Process process, ProcessIdentity identity)
    {
        _process = process;
        Identity = identity;
    }

    public ProcessIdentity Identity { get; }

    // Right after Process.Start, setsid may not have run yet: the group does not exist, but the
    // process does, and must still count as alive and signalable.
    public bool GroupExists => ProcessGroup.Exists(Identity.Pid) || !_process.HasExited;

    public async Task<int?> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    public bool SignalGroup(UnixSignal signal)
    {
        if (ProcessGroup.Signal(Identity.Pid, signal))
        {
            return true;
        }

        // Not yet a group leader (see GroupExists): signal the process itself. HasExited guards
        // against signalling a recycled pid.
        return !_process.HasExited && ProcessGroup.SignalProcess(Identity.Pid, signal);
    }

    public void Dispose() => _process.Dispose();
}
