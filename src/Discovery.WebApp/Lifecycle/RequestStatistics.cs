namespace Discovery.WebApp.Lifecycle;

/// <summary>Counters that make load balancing and draining visible; lock-free because every request touches them.</summary>
internal sealed class RequestStatistics
{
    private long _identityRequests;
    private int _inFlight;
    private int _abortedWhileDraining;
    private long _served;
    private long _serverErrors;

    /// <summary>Requests answered, health checks and /stats left out (what a deploy's error share is measured on).</summary>
    public long Served => Interlocked.Read(ref _served);

    /// <summary>Of <see cref="Served"/>, those answered with a 5xx status.</summary>
    public long ServerErrors => Interlocked.Read(ref _serverErrors);

    public void CountAnswer(int statusCode)
    {
        Interlocked.Increment(ref _served);
        if (statusCode >= 500)
        {
            Interlocked.Increment(ref _serverErrors);
        }
    }

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
