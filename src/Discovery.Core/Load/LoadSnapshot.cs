namespace Discovery.Core.Load;

/// <summary>Progress of a load run so far; the final one is the summary. Failures are keyed by status code or error type.</summary>
internal sealed record LoadSnapshot(
    TimeSpan Elapsed,
    long Planned,
    long Sent,
    long Ok,
    long Failed,
    TimeSpan? P50,
    TimeSpan? P99,
    IReadOnlyDictionary<string, long> FailuresByReason)
{
    public long InFlight => Sent - Ok - Failed;
}
