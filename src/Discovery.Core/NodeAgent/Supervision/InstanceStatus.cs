using Discovery.Core.Processes;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>A snapshot of one instance.</summary>
/// <param name="CrashLoopReason">Set from crash-loop detection until the process has stayed up for a whole restart window; the registrar puts it in the critical check's output.</param>
/// <param name="Restarts">Exits since the supervisor started.</param>
public sealed record InstanceStatus(
    InstanceState State,
    ProcessIdentity? Process,
    DateTimeOffset Since,
    int? LastExitCode,
    DateTimeOffset? BackingOffUntil,
    string? CrashLoopReason,
    int Restarts);
