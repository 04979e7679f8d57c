using Discovery.Core.Configuration;

namespace Discovery.Core.Postgres.Cluster;

/// <summary>
/// The KV layout of one Postgres cluster (docs/contract.md, Postgres): the leader lock, the state
/// every member follows, the decision history — all written only by the fenced failover leader — and
/// the operator's switchover request, kept in its own folder so an operator token can write it
/// without being able to forge the state.
/// </summary>
internal sealed record ClusterKeys
{
    public ClusterKeys(string prefix, string cluster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        Prefix = prefix.Trim('/');
        Cluster = cluster;
        ClusterPrefix = $"{Prefix}/pg/{cluster}/";
        HistoryKeys = new HistoryKeys(ClusterPrefix + "history/");
    }

    public string Prefix { get; }

    public string Cluster { get; }

    public string ClusterPrefix { get; }

    public string Leader => ClusterPrefix + "leader";

    public string State => ClusterPrefix + "state";

    public HistoryKeys HistoryKeys { get; }

    public string HistoryPrefix => HistoryKeys.Prefix;

    /// <summary><c>&lt;prefix&gt;/pg-requests/&lt;cluster&gt;/switchover</c>: written by `agent pg switchover`.</summary>
    public string SwitchoverRequest => $"{Prefix}/pg-requests/{Cluster}/switchover";

    public string History(long sequence) => HistoryKeys.Key(sequence);

    public long? HistorySequence(string key) => HistoryKeys.Sequence(key);
}
