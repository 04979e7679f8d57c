using Discovery.Consul.Txn;

namespace Discovery.Core.Scaling.Store;

/// <summary>What one leader round writes (without the fencing check the lock adds) and the history it leaves.</summary>
/// <param name="Operations">The transaction's operations; empty when KV already says it all.</param>
/// <param name="RecordedSequence">The history entry written, if any.</param>
/// <param name="ExpiredSequences">History entries deleted in the same transaction.</param>
internal sealed record WritePlan(IReadOnlyList<TxnOperation> Operations, long? RecordedSequence, IReadOnlyList<long> ExpiredSequences)
{
    /// <summary>Every history entry written (a scaling decision and deploy events); the last one is <see cref="RecordedSequence"/>.</summary>
    public IReadOnlyList<long> RecordedSequences { get; init; } = RecordedSequence is { } only ? [only] : [];

    /// <summary>The history sequences after this plan commits.</summary>
    public IReadOnlyList<long> HistoryAfter(IReadOnlyList<long> before) =>
        RecordedSequences.Count > 0 ? [.. before.Except(ExpiredSequences), .. RecordedSequences] : before;
}
