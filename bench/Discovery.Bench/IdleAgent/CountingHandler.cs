namespace Discovery.Bench.IdleAgent;

/// <summary>Counts the agent's Consul HTTP requests, split into blocking queries (index=…) and the rest.</summary>
internal sealed class CountingHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    private long _total;
    private long _blocking;

    public long Total => Interlocked.Read(ref _total);

    public long Blocking => Interlocked.Read(ref _blocking);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _total);
        if (request.RequestUri?.Query.Contains("index=", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref _blocking);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
