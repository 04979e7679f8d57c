namespace Discovery.WebApp.Lifecycle;

/// <summary>Counters that make load balancing and draining visible; lock-free because every request touches them.</summary>
internal sealed class RequestStatistics
{
    private long _identityRequests;
    private int _inFlight;
    private int _abortedWhileDraining;

    /// <summary>Requests to <c>/</c> since start (health checks are not counted, they would drown the signal).</summary>
    public long IdentityRequests => Interlocked.Read(ref _identityRequests);

    /// <summary>Requests of any kind currently being handled.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Requests cut off after draining began: the drain timeout ran out (or the client left).</summary>
    public int AbortedWhileDraining => Volatile.Read(ref _abortedWhileDraining);

    public long CountIdentityRequest() => Interlocked.Increment(ref _identityRequests);

    public void RequestStarted() => Interlocked.Increment(ref _inFlight);

    public void RequestFinished() => Interlocked.Decrement(ref _inFlight);

    public void RequestAbortedWhileDraining() => Interlocked.Increment(ref _abortedWhileDraining);
}
