namespace Discovery.WebApp.Lifecycle;

/// <summary>
/// The instance's phase, shared by the health endpoint and the lifecycle. Moves only forward
/// (starting → serving → draining), so a startup delay that ends after SIGTERM cannot put a
/// draining instance back into rotation.
/// </summary>
internal sealed class ServingStatus
{
    private int _phase = (int)ServingPhase.Starting;

    public ServingPhase Phase => (ServingPhase)Volatile.Read(ref _phase);

    /// <returns>false when the instance already started draining.</returns>
    public bool TryMarkServing() =>
        Interlocked.CompareExchange(ref _phase, (int)ServingPhase.Serving, (int)ServingPhase.Starting) == (int)ServingPhase.Starting;

    public void MarkDraining() => Interlocked.Exchange(ref _phase, (int)ServingPhase.Draining);
}
