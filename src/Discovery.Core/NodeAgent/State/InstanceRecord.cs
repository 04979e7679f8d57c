namespace Discovery.Core.NodeAgent.State;

/// <summary>One line of the state file: enough to find, verify and adopt (or kill) an instance after an agent restart.</summary>
/// <param name="Version">The version the instance runs; null in files written before versions existed (= the config's version).</param>
/// <param name="StartTime">Process start time in clock ticks after boot (/proc/&lt;pid&gt;/stat field 22); with <paramref name="Pid"/> it identifies the process uniquely.</param>
public sealed record InstanceRecord(
    string App,
    string InstanceId,
    int Port,
    int Pid,
    ulong StartTime,
    string LogPath,
    DateTimeOffset StartedAt,
    string? Version = null);
