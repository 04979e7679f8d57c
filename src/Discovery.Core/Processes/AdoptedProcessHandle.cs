namespace Discovery.Core.Processes;

/// <summary>
/// A process a previous agent run started. It is not our child, so its exit is detected by polling
/// and its exit code is unknown.
/// </summary>
internal sealed class AdoptedProcessHandle : IProcessHandle
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _pollInterval;

    public AdoptedProcessHandle(ProcessIdentity identity, TimeProvider timeProvider, TimeSpan pollInterval)
    {
        Identity = identity;
        _timeProvider = timeProvider;
        _pollInterval = pollInterval;
    }

    public ProcessIdentity Identity { get; }

    public bool GroupExists => IsOurGroupNumber() && ProcessGroup.Exists(Identity.Pid);

    public async Task<int?> WaitForExitAsync(CancellationToken cancellationToken)
    {
        while (Identity.IsRunning())
        {
            await Task.Delay(_pollInterval, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    public bool SignalGroup(UnixSignal signal) => IsOurGroupNumber() && ProcessGroup.Signal(Identity.Pid, signal);

    /// <summary>
    /// Whether group number == our pid still means our group. Linux does not hand out a pid while a
    /// process group of that number exists, so the group is ours when our leader still runs, or when
    /// no process has that pid (leader gone, descendants left). A process with our pid but another
    /// start time means the pid was recycled: its group is someone else's.
    /// </summary>
    private bool IsOurGroupNumber()
    {
        var current = ProcessIdentity.TryRead(Identity.Pid, includeZombies: true);
        return current is null || current.Value.StartTime == Identity.StartTime;
    }

    public void Dispose()
    {
    }
}
