using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Member;

namespace Discovery.Core.Postgres.Failover;

/// <summary>
/// Picks the replica to promote (pure, table-tested): among members registered as running replicas
/// that answered the leader's own query in recovery, the one that has received the most WAL; ties by
/// node name so two leaders would pick the same. Not "passing" as a filter: once the primary is dead
/// no replica streams any more, and the one that was furthest along is exactly the one wanted. With
/// synchronous commit every acknowledged commit was flushed by at least one replica, so the most
/// advanced one has them all.
/// </summary>
internal static class CandidatePicker
{
    public static MemberReport? Pick(string failedPrimary, IReadOnlyList<MemberReport> members, IReadOnlyDictionary<string, WalPosition> received) =>
        members
            .Where(member => member.Node != failedPrimary && member.State == MemberState.Replica && received.ContainsKey(member.Node))
            .OrderByDescending(member => received[member.Node])
            .ThenBy(member => member.Node, StringComparer.Ordinal)
            .FirstOrDefault();
}
