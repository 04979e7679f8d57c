namespace Discovery.Core.Lab;

/// <summary>
/// One process the lab started: its name, pid and kernel start time (pid reuse cannot fool `lab down`),
/// its log, and its tier (servers 0, client agents 1, renderer + nginx 2, scalers 3, node agents 4):
/// teardown goes tier by tier, highest first, stopping one tier's processes in parallel — node
/// agents first, while the renderer and nginx still run, so their drains complete.
/// </summary>
internal sealed record LabProcessRecord(string Name, int Pid, ulong StartTime, string LogFile, int Tier);
