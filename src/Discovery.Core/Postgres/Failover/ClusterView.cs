using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Member;

namespace Discovery.Core.Postgres.Failover;

/// <summary>What the leader reads before each evaluation: the state (with its ModifyIndex for the CAS), the members, a pending request.</summary>
internal sealed record ClusterView(ClusterState? State, ulong StateIndex, IReadOnlyList<MemberReport> Members, SwitchoverRequest? Request, ulong RequestIndex)
{
    public MemberReport? Find(string node) => Members.FirstOrDefault(member => member.Node == node);

    /// <summary>The state's primary runs as primary of the state's generation and passes its check.</summary>
    public bool PrimaryHealthy => State is { } state && Find(state.Primary) is { State: MemberState.Primary, Passing: true } primary && primary.Generation == state.Generation;
}
