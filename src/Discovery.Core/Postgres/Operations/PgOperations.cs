using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Failover;
using Discovery.Core.Postgres.Member;

namespace Discovery.Core.Postgres.Operations;

/// <summary>The operator's side of a Postgres cluster: read its status, request a switchover and wait for its outcome.</summary>
internal sealed class PgOperations(ConsulClient consul, string prefix, string cluster, TimeProvider time)
{
    private readonly ClusterKeys _keys = new(prefix, cluster);

    public async Task<PgClusterStatus> StatusAsync(CancellationToken cancellationToken)
    {
        var statePair = (await consul.KV.GetAsync(_keys.State, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        string? error = null;
        var state = statePair is null ? null : ClusterStateJson.TryRead(statePair.ValueAsString(), out error);
        var members = (await consul.Health.ServiceAsync(cluster, cancellationToken: cancellationToken).ConfigureAwait(false)).Value
            .Select(entry => MemberReport.TryRead(entry, out _)).OfType<MemberReport>().OrderBy(member => member.Node, StringComparer.Ordinal).ToList();
        var leader = (await consul.KV.GetAsync(_keys.Leader, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var decisions = await HistoryWriter.ReadAllAsync(consul, _keys, cancellationToken).ConfigureAwait(false);
        return new PgClusterStatus(cluster, state, error, members, leader is { Session.Length: > 0 } ? $"{leader.ValueAsString()} (fencing token {leader.LockIndex})" : null,
            decisions.TakeLast(10).ToList());
    }

    /// <summary>Writes the request, then waits until the leader has carried it out (true) or refused or aborted it (false, with the reason).</summary>
    public async Task<(bool Done, string Message)> SwitchoverAsync(string to, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(cancellationToken).ConfigureAwait(false);
        if (status.State is not { } state)
        {
            return (false, $"{cluster} has no cluster state yet (is it bootstrapped?)");
        }

        if (state.Primary == to)
        {
            return (false, $"{to} is already the primary of {cluster}");
        }

        if (status.Members.All(member => member.Node != to))
        {
            return (false, $"{to} is not a member of {cluster} (members: {string.Join(", ", status.Members.Select(member => member.Node))})");
        }

        var request = new SwitchoverRequest(to, time.GetUtcNow(), $"{Environment.UserName}@{Environment.MachineName}");
        await consul.KV.PutStringAsync(_keys.SwitchoverRequest, SwitchoverRequest.Write(request), cancellationToken: cancellationToken).ConfigureAwait(false);
        var requestIndex = (await consul.KV.GetAsync(_keys.SwitchoverRequest, new QueryOptions { Consistency = ConsistencyMode.Consistent }, cancellationToken).ConfigureAwait(false)).Value!.ModifyIndex;
        var deadline = time.GetUtcNow() + timeout;
        while (time.GetUtcNow() < deadline)
        {
            var now = await StatusAsync(cancellationToken).ConfigureAwait(false);
            if (now.State is { } current && current.HandledRequest >= requestIndex)
            {
                var done = current.Primary == to && now.Members.Any(member => member.Node == to && member is { State: MemberState.Primary, Passing: true } && member.Generation == current.Generation);
                if (done || current.Primary != to)
                {
                    return (done, current.Reason);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
        }

        return (false, $"no outcome within {timeout.TotalSeconds:0} s; see `agent pg status`");
    }
}
