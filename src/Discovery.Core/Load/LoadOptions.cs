namespace Discovery.Core.Load;

/// <summary>
/// A bounded, paced GET load: <see cref="RequestsPerMinute"/> evenly spaced requests for
/// <see cref="Duration"/>, at most <see cref="Concurrency"/> in flight. <see cref="Host"/> overrides
/// the Host header (nginx picks the app by host name).
/// </summary>
internal sealed record LoadOptions(Uri Url, int RequestsPerMinute, TimeSpan Duration, int Concurrency = 16, string? Host = null)
{
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Count what HttpClient hid (<see cref="KeepAliveLossCounter"/>: re-sent requests, keep-alive
    /// connections closed unannounced) as failed, so the figure means what a client without
    /// retries (wrk) would see.
    /// </summary>
    public bool CountKeepAliveLossesAsFailed { get; init; }

    /// <summary>How many requests the run sends in total: the bound that makes every run stop by itself.</summary>
    public long TotalRequests => (long)Math.Ceiling(RequestsPerMinute * Duration.TotalMinutes);

    public TimeSpan Interval => TimeSpan.FromMinutes(1.0 / RequestsPerMinute);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Url.IsAbsoluteUri || (Url.Scheme != Uri.UriSchemeHttp && Url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("--url must be an absolute http(s) URL");
        }
        else if (!IsLoopback(Url))
        {
            errors.Add($"--url must point at a loopback address (127.0.0.0/8 or localhost), not '{Url.Host}'");
        }

        if (RequestsPerMinute is < 1 or > 600_000)
        {
            errors.Add("--rpm must be between 1 and 600000");
        }

        if (Duration <= TimeSpan.Zero || Duration > TimeSpan.FromHours(1))
        {
            errors.Add("--duration must be positive and at most 1h");
        }

        if (Concurrency is < 1 or > 1024)
        {
            errors.Add("--concurrency must be between 1 and 1024");
        }

        return errors;
    }

    // The load generator only ever targets this machine's loopback (the lab); it is not a tool for
    // loading anything else.
    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (System.Net.IPAddress.TryParse(url.Host, out var address) && System.Net.IPAddress.IsLoopback(address));
}
