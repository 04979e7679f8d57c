namespace Discovery.Core.Processes;

/// <summary>A running instance process that leads its own process group (pgid == pid).</summary>
public interface IProcessHandle : IDisposable
{
    ProcessIdentity Identity { get; }

    /// <summary>Completes when the group leader has exited, with its exit code when known (null for an adopted process).</summary>
    Task<int?> WaitForExitAsync(CancellationToken cancellationToken);

    /// <summary>Sends a signal to the whole group; false when nothing was left to signal.</summary>
    bool SignalGroup(UnixSignal signal);

    /// <summary>True while any process of the group is alive (the leader or anything it forked).</summary>
    bool GroupExists { get; }
}
