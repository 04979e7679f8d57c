using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Consul.Txn;
using Discovery.Core.Configuration;
using Discovery.Core.Postgres.Cluster;

namespace Discovery.Core.Postgres.Failover;

/// <summary>
/// Commits the leader's decisions: the new state (CAS on the index it was read at) and a history
/// entry carrying the term's fencing token, in one fenced transaction; history is pruned to the
/// newest <see cref="Keep"/> entries in the same transaction.
/// </summary>
internal sealed class HistoryWriter(ConsulClient consul, ClusterKeys keys, LeaderTerm term, string leader)
{
    public const int Keep = 50;
    private readonly List<long> _sequences = [];

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var keysRead = await consul.KV.KeysAsync(keys.HistoryPrefix, cancellationToken: cancellationToken).ConfigureAwait(false);
        _sequences.Clear();
        _sequences.AddRange(keysRead.Value.Select(keys.HistorySequence).OfType<long>().Order());
    }

    /// <summary>Writes <paramref name="state"/> (when given) and the entry; null when Consul refused (deposed, or the state moved on).</summary>
    public async Task<ClusterDecision?> CommitAsync(string kind, ClusterState? state, ulong stateIndex, long generation, string primary, string reason, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var (sequence, pruned) = HistoryKeys.Append(_sequences, Keep);
        var decision = new ClusterDecision(sequence, at, kind, generation, primary, reason, term.FencingToken, leader);
        var operations = new List<TxnOperation>();
        if (state is not null)
        {
            operations.Add(TxnOperation.Cas(keys.State, System.Text.Encoding.UTF8.GetBytes(ClusterStateJson.Write(state)), stateIndex));
        }

        operations.Add(TxnOperation.Set(keys.History(sequence), JsonSerializer.Serialize(decision, PostgresJsonContext.Default.ClusterDecision)));
        operations.AddRange(pruned.Select(old => TxnOperation.Delete(keys.History(old))));
        var result = await term.FencedWriteAsync(operations, cancellationToken).ConfigureAwait(false);
        if (!result.Committed)
        {
            return null;
        }

        _sequences.RemoveAll(pruned.Contains);
        _sequences.Add(sequence);
        return decision;
    }

    /// <summary>Every entry, oldest first (for status and tests); unreadable entries are skipped.</summary>
    public static async Task<IReadOnlyList<ClusterDecision>> ReadAllAsync(ConsulClient consul, ClusterKeys keys, CancellationToken cancellationToken)
    {
        var pairs = (await consul.KV.ListAsync(keys.HistoryPrefix, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var decisions = new List<ClusterDecision>();
        foreach (var pair in pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            try
            {
                if (JsonSerializer.Deserialize(pair.ValueAsString() ?? "", PostgresJsonContext.Default.ClusterDecision) is { } decision)
                {
                    decisions.Add(decision);
                }
            }
            catch (JsonException)
            {
                // history is informational; a garbage entry is skipped
            }
        }

        return decisions;
    }
}
