using System.Runtime.InteropServices;

namespace Discovery.Core.Processes;

/// <summary>
/// Signals for process groups. Every instance runs in its own session, so its pid is also its
/// process group id and one signal reaches the app and everything it forked.
/// </summary>
public static class ProcessGroup
{
    private const int NoSuchProcess = 3; // ESRCH

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="pgid"/>; false when the group is gone.</summary>
    public static bool Signal(int pgid, UnixSignal signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pgid, 1);
        return NativeMethods.kill(-pgid, (int)signal) == 0;
    }

    /// <summary>True while any process (including a not yet reaped zombie) is in the group.</summary>
    public static bool Exists(int pgid) => Signal(pgid, UnixSignal.None) || Marshal.GetLastPInvokeError() != NoSuchProcess;

    /// <summary>Sends a signal to one process; false when it does not exist.</summary>
    public static bool SignalProcess(int pid, UnixSignal signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pid, 1);
        return NativeMethods.kill(pid, (int)signal) == 0;
    }
}
