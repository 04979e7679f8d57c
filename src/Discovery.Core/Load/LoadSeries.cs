namespace Discovery.Core.Load;

/// <summary>
/// A load of unknown length (next to a test's or a benchmark's steps): back-to-back runs of
/// <paramref name="segment"/> until stopped. Each run finishes by itself, so stopping never cancels
/// a request; one handler throughout, so its keep-alive connections live across runs and see every
/// change nginx makes. Keep-alive losses (<see cref="KeepAliveLossCounter"/>) count as failures.
/// </summary>
internal sealed class LoadSeries(LoadOptions segment, int maxConnections, TimeProvider time)
{
    public async Task<LoadSnapshot> RunAsync(CancellationToken stop)
    {
        var losses = new KeepAliveLossCounter();
        using var handler = losses.CreateHandler(maxConnections);
        var generator = new LoadGenerator(handler, time, losses);
        var elapsed = TimeSpan.Zero;
        long planned = 0, sent = 0, ok = 0, failed = 0;
        TimeSpan? p50 = null, p99 = null;
        var failures = new SortedDictionary<string, long>(StringComparer.Ordinal);
        do
        {
            var run = await generator.RunAsync(segment with { CountKeepAliveLossesAsFailed = false }, null, segment.Duration, CancellationToken.None).ConfigureAwait(false);
            (elapsed, planned, sent, ok, failed) = (elapsed + run.Elapsed, planned + run.Planned, sent + run.Sent, ok + run.Ok, failed + run.Failed);
            p50 = Max(p50, run.P50);
            p99 = Max(p99, run.P99);
            foreach (var (reason, count) in run.FailuresByReason)
            {
                failures[reason] = failures.GetValueOrDefault(reason) + count;
            }
        }
        while (!stop.IsCancellationRequested);

        // HttpClient got an answer in the end for these; a client without retries saw them fail.
        var lost = Math.Min(losses.Count, ok);
        if (lost > 0)
        {
            failures[LoadSnapshot.KeepAliveLossReason] = lost;
        }

        return new LoadSnapshot(elapsed, planned, sent, ok - lost, failed + lost, p50, p99, failures, losses.Count);
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
