namespace Discovery.Testing.Load;

/// <summary>One wrk run: keep-alive connections that never retry a failed request.</summary>
/// <param name="RequestsPerSecond">Pace the whole run to about this rate (a delay before each request on each connection); null = as fast as possible.</param>
/// <param name="Host">Host header to send (which app nginx routes to); null = the URL's.</param>
public sealed record WrkOptions(Uri Url, int Connections, TimeSpan Duration, double? RequestsPerSecond = null, string? Host = null)
{
    /// <summary>One thread per connection up to two: this machine has two cores.</summary>
    public int Threads => Math.Min(Connections, 2);

    /// <summary>A request slower than this counts as a timeout error (wrk's --timeout).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(2);
}
