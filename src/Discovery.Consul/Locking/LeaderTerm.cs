using Discovery.Consul.Txn;

namespace Discovery.Consul.Locking;

/// <summary>
/// One uninterrupted period of leadership. Do leader work only while <see cref="Lost"/> has not
/// fired, and write through <see cref="FencedWriteAsync"/> so a deposed leader cannot write.
/// </summary>
public abstract class LeaderTerm : IAsyncDisposable
{
    /// <summary>The lock key.</summary>
    public abstract string Key { get; }

    /// <summary>The session that holds the key.</summary>
    public abstract string SessionId { get; }

    /// <summary>The key's LockIndex when acquired: strictly increases with every new holder.
    /// Store it with data so readers can reject values from an older term.</summary>
    public abstract ulong FencingToken { get; }

    /// <summary>Fires once, when leadership ends for any <see cref="LeadershipLossReason"/>.</summary>
    public abstract CancellationToken Lost { get; }

    /// <summary>Why the term ended; null while it lasts.</summary>
    public abstract LeadershipLossReason? LossReason { get; }

    /// <summary>
    /// Runs <paramref name="operations"/> in one transaction prefixed with a check-session on the
    /// lock key. Not committed (and <see cref="Lost"/> fired) when this session no longer holds it.
    /// </summary>
    public abstract Task<TxnResult> FencedWriteAsync(IReadOnlyList<TxnOperation> operations, CancellationToken cancellationToken);

    /// <summary>Releases the key (no lock-delay for the next holder) and ends the term.</summary>
    public abstract ValueTask DisposeAsync();
}
