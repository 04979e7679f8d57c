namespace Discovery.Consul.Locking;

/// <summary>
/// Test seam that simulates a stopped process (SIGSTOP, a long GC pause): while frozen, the
/// lock's background loops (heartbeat, lease deadline, key watch) make no progress.
/// </summary>
internal sealed class FreezeGate
{
    private volatile TaskCompletionSource? _frozen;

    public bool IsFrozen => _frozen is not null;

    public void Freeze() => Interlocked.CompareExchange(ref _frozen, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);

    public void Thaw() => Interlocked.Exchange(ref _frozen, null)?.TrySetResult();

    /// <summary>Completes at once unless frozen; then when thawed.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) =>
        _frozen is { } frozen ? frozen.Task.WaitAsync(cancellationToken) : Task.CompletedTask;
}
