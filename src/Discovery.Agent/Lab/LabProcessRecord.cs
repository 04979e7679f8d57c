namespace Discovery.Agent.Lab;

/// <summary>
/// One process the lab started: its name, pid and kernel start time (pid reuse cannot fool `lab down`),
/// its log, and its tier (servers 0, client agents 1, agents 2, nginx 3): teardown goes tier by tier,
/// highest first, stopping one tier's processes in parallel.
/// </summary>
internal sealed record LabProcessRecord(string Name, int Pid, ulong StartTime, string LogFile, int Tier);
