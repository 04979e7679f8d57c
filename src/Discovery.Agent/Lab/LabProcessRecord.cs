namespace Discovery.Agent.Lab;

/// <summary>One process the lab started: its name, pid and kernel start time (pid reuse cannot fool `lab down`), and its log.</summary>
internal sealed record LabProcessRecord(string Name, int Pid, ulong StartTime, string LogFile);
