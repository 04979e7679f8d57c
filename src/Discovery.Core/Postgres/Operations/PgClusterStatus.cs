using Discovery.Core.Postgres.Cluster;

namespace Discovery.Core.Postgres.Operations;

/// <summary>What `agent pg status` shows: the state, the members, who leads failover, and the latest decisions.</summary>
public sealed record PgClusterStatus(string Cluster, ClusterState? State, string? StateError, IReadOnlyList<MemberReport> Members, string? Leader, IReadOnlyList<ClusterDecision> Decisions);
