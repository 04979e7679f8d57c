using Discovery.Core.Postgres.Cluster;

namespace Discovery.Core.Postgres.Control;

/// <summary>One role probe of the local postgres.</summary>
/// <param name="InRecovery">pg_is_in_recovery(): true on a replica.</param>
/// <param name="HeartbeatWritten">Primary: the heartbeat write committed.</param>
/// <param name="Streaming">Replica: the WAL receiver is streaming.</param>
/// <param name="SenderHost">Replica: the address it streams from.</param>
/// <param name="HeartbeatAge">Replica: how old the primary's last replayed heartbeat is (the replication lag, plus at most one check interval).</param>
/// <param name="Receive">Replica: last WAL position received and flushed.</param>
/// <param name="Replay">Replica: last WAL position replayed.</param>
/// <param name="StreamingReplicas">Primary: replicas streaming from it.</param>
public sealed record ProbeResult(bool InRecovery, bool HeartbeatWritten, bool Streaming, string? SenderHost, TimeSpan? HeartbeatAge,
    WalPosition? Receive, WalPosition? Replay, int StreamingReplicas);
