namespace Discovery.Consul.Locking;

/// <summary>
/// Leader election on one KV key. Contenders call <see cref="AcquireAsync"/>; the winner gets a
/// <see cref="LeaderTerm"/> whose <see cref="LeaderTerm.Lost"/> token fires the moment leadership
/// ends and whose fenced writes Consul itself rejects once it has. A real seam: the scaler is
/// written against it.
/// </summary>
public interface ILeaderLock : IAsyncDisposable
{
    /// <summary>The lock key.</summary>
    string Key { get; }

    /// <summary>Waits until this contender leads. Call again after a term is lost to contend again.</summary>
    Task<LeaderTerm> AcquireAsync(CancellationToken cancellationToken);
}
