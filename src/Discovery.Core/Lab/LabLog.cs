using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>The lab's log lines (source-generated), shared by the orchestrator and its helpers.</summary>
internal static partial class LabLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "started {Process} (pid {Pid}), log {Log}")]
    public static partial void Started(ILogger logger, string process, int pid, string log);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Process} (pid {Pid}) is no longer running")]
    public static partial void AlreadyGone(ILogger logger, string process, int pid);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped {Process} (pid {Pid}){How}")]
    public static partial void Stopped(ILogger logger, string process, int pid, string how);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lab up did not complete; stopping what was started (logs stay in {Logs})")]
    public static partial void UpFailed(ILogger logger, string logs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not remove {Directory}: {Error}")]
    public static partial void RemoveFailed(ILogger logger, string directory, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "ACL setup not accepted yet: {Error}")]
    public static partial void AclNotYet(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "waiting until {What}")]
    public static partial void Waiting(ILogger logger, string what);

    [LoggerMessage(Level = LogLevel.Debug, Message = "not yet ({Error})")]
    public static partial void NotYet(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "ACLs: {Policies} policies, tokens for {Agents} Consul agents, operator, renderer, {Nodes} node agents, {Scalers} scalers")]
    public static partial void AclReady(ILogger logger, int policies, int agents, int nodes, int scalers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "stopped leftover {Process} (pid {Pid}) its node agent did not stop")]
    public static partial void LeftoverStopped(ILogger logger, string process, int pid);
}
