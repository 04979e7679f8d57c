namespace Discovery.Testing.Load;

/// <summary>What wrk counted. A failure is any socket error (connect, read, write, timeout) or a non-2xx/3xx answer.</summary>
public sealed record WrkResult(
    long Requests,
    long ConnectErrors,
    long ReadErrors,
    long WriteErrors,
    long Timeouts,
    long Non2xx,
    double RequestsPerSecond,
    TimeSpan P50,
    TimeSpan P99,
    string Output)
{
    public long SocketErrors => ConnectErrors + ReadErrors + WriteErrors + Timeouts;

    public long Failed => SocketErrors + Non2xx;

    public override string ToString() =>
        $"{Requests} requests ({RequestsPerSecond:0.#} rps), {Failed} failed (socket errors: connect {ConnectErrors}, read {ReadErrors}, write {WriteErrors}, timeout {Timeouts}; non-2xx {Non2xx}), " +
        $"p50 {P50.TotalMilliseconds:0.00} ms, p99 {P99.TotalMilliseconds:0.00} ms";
}
