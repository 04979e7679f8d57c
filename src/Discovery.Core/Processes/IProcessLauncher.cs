namespace Discovery.Core.Processes;

/// <summary>Starts instance processes; the seam unit tests replace.</summary>
public interface IProcessLauncher
{
    /// <summary>Starts the process in its own session with output appended to the spec's log file.</summary>
    IProcessHandle Launch(ProcessLaunchSpec spec);

    /// <summary>Takes over a process a previous agent run started (verified by the caller).</summary>
    IProcessHandle Adopt(ProcessIdentity identity);
}
