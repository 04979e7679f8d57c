namespace Discovery.Core.Load;

/// <summary>Progress of a load run so far; the final one is the summary. Failures are keyed by status code or error type.</summary>
/// <param name="KeepAliveLosses">Requests HttpClient re-sent plus keep-alive connections closed unannounced (<see cref="KeepAliveLossCounter"/>): what a client without retries would have seen fail. Already in <see cref="Failed"/> when the run counts them as failures.</param>
internal sealed record LoadSnapshot(
    TimeSpan Elapsed,
    long Planned,
    long Sent,
    long Ok,
    long Failed,
    TimeSpan? P50,
    TimeSpan? P99,
    IReadOnlyDictionary<string, long> FailuresByReason,
    long KeepAliveLosses = 0)
{
    /// <summary>The failure reason of a keep-alive loss when it counts as failed.</summary>
    public const string KeepAliveLossReason = "keep-alive-connection-lost";

    public long InFlight => Sent - Ok - Failed;
}
