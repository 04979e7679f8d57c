namespace Discovery.Core.Status;

/// <summary>One consistent-enough snapshot of every Discovery app, as `agent status` shows it.</summary>
internal sealed record FleetStatus(DateTimeOffset ReadAt, string ConsulLeader, IReadOnlyList<AppStatus> Apps);
