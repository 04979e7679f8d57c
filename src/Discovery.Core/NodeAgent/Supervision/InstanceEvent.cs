using Discovery.Core.Processes;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>
/// Something that happened to one instance, for the registrar and the state file. Which optional
/// fields are set depends on <see cref="Kind"/>: Running carries <see cref="Process"/>, Exited
/// <see cref="ExitCode"/> (null when unknown, e.g. adopted), BackingOff <see cref="Until"/>,
/// CrashLooping <see cref="Reason"/>.
/// </summary>
public sealed record InstanceEvent(
    string InstanceId,
    InstanceEventKind Kind,
    DateTimeOffset At,
    ProcessIdentity? Process = null,
    int? ExitCode = null,
    DateTimeOffset? Until = null,
    string? Reason = null);
