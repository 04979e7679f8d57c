using System.Globalization;

namespace Discovery.Core.Postgres.Cluster;

/// <summary>
/// The KV layout of one Postgres cluster (docs/contract.md, Postgres): the leader lock, the state
/// every member follows, the decision history — all written only by the fenced failover leader — and
/// the operator's switchover request, kept in its own folder so an operator token can write it
/// without being able to forge the state.
/// </summary>
internal sealed record ClusterKeys
{
    private const string HistorySequenceFormat = "D12";

    public ClusterKeys(string prefix, string cluster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(cluster);
        Prefix = prefix.Trim('/');
        Cluster = cluster;
        ClusterPrefix = $"{Prefix}/pg/{cluster}/";
    }

    public string Prefix { get; }

    public string Cluster { get; }

    public string ClusterPrefix { get; }

    public string Leader => ClusterPrefix + "leader";

    public string State => ClusterPrefix + "state";

    public string HistoryPrefix => ClusterPrefix + "history/";

    /// <summary><c>&lt;prefix&gt;/pg-requests/&lt;cluster&gt;/switchover</c>: written by `agent pg switchover`.</summary>
    public string SwitchoverRequest => $"{Prefix}/pg-requests/{Cluster}/switchover";

    public string History(long sequence) => HistoryPrefix + sequence.ToString(HistorySequenceFormat, CultureInfo.InvariantCulture);

    public long? HistorySequence(string key) =>
        key.StartsWith(HistoryPrefix, StringComparison.Ordinal)
        && long.TryParse(key.AsSpan(HistoryPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : null;
}
