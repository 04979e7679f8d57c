using System.Collections.Concurrent;

namespace Discovery.Core.Load;

/// <summary>
/// Sends the paced load described by <see cref="LoadOptions"/>: request i is due at start + i × interval
/// (an open model, so a slow server does not slow the offered rate down, up to the concurrency cap),
/// stops issuing after the planned count or the duration, then waits for what is in flight.
/// A request is ok when it completes with 2xx/3xx; anything else, including timeouts, is a failure.
/// With a <paramref name="losses"/> counter (whose handler <paramref name="handler"/> must be), what
/// HttpClient hid (re-sent requests, connections closed under it) is reported, and counted as failed
/// when the options say so.
/// </summary>
internal sealed class LoadGenerator(HttpMessageHandler handler, TimeProvider time, KeepAliveLossCounter? losses = null)
{
    public async Task<LoadSnapshot> RunAsync(LoadOptions options, Action<LoadSnapshot>? onProgress, TimeSpan progressInterval, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = options.RequestTimeout };
        var recorder = new Recorder(options.TotalRequests, losses, options.CountKeepAliveLossesAsFailed);
        var start = time.GetTimestamp();
        using var slots = new SemaphoreSlim(options.Concurrency);
        var inFlight = new List<Task>();
        var nextProgress = progressInterval;

        for (long i = 0; i < options.TotalRequests; i++)
        {
            var due = options.Interval * i;
            if (due >= options.Duration)
            {
                break;
            }

            var wait = due - time.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            recorder.Sent();
            inFlight.Add(SendOneAsync(client, options, recorder, slots, cancellationToken));
            inFlight.RemoveAll(task => task.IsCompleted);

            if (onProgress is not null && time.GetElapsedTime(start) >= nextProgress)
            {
                nextProgress += progressInterval;
                onProgress(recorder.Snapshot(time.GetElapsedTime(start), options.TotalRequests));
            }
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return recorder.Snapshot(time.GetElapsedTime(start), options.TotalRequests);
    }

    private async Task SendOneAsync(HttpClient client, LoadOptions options, Recorder recorder, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, options.Url);
            if (options.Host is not null)
            {
                request.Headers.Host = options.Host;
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            if (code is >= 200 and < 400)
            {
                recorder.Ok(time.GetElapsedTime(started));
            }
            else
            {
                recorder.Failed(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            recorder.Failed("cancelled");
        }
        catch (TaskCanceledException)
        {
            recorder.Failed("timeout");
        }
        catch (HttpRequestException exception)
        {
            recorder.Failed(exception.HttpRequestError.ToString());
        }
        finally
        {
            slots.Release();
        }
    }

    /// <summary>Thread-safe counters and latencies; latencies are bounded by the planned request count.</summary>
    private sealed class Recorder(long planned, KeepAliveLossCounter? losses, bool lossesAsFailed)
    {
        private readonly ConcurrentQueue<TimeSpan> _latencies = new();
        private readonly ConcurrentDictionary<string, long> _failures = new(StringComparer.Ordinal);
        private long _sent;
        private long _ok;
        private long _failed;

        public void Sent() => Interlocked.Increment(ref _sent);

        public void Ok(TimeSpan latency)
        {
            if (_latencies.Count < planned)
            {
                _latencies.Enqueue(latency);
            }

            Interlocked.Increment(ref _ok);
        }

        public void Failed(string reason)
        {
            _failures.AddOrUpdate(reason, 1, (_, count) => count + 1);
            Interlocked.Increment(ref _failed);
        }

        public LoadSnapshot Snapshot(TimeSpan elapsed, long plannedTotal)
        {
            var sorted = _latencies.ToArray();
            Array.Sort(sorted);
            var failures = new SortedDictionary<string, long>(_failures, StringComparer.Ordinal);
            var (ok, failed, lost) = (Interlocked.Read(ref _ok), Interlocked.Read(ref _failed), losses?.Count ?? 0);
            if (lossesAsFailed && lost > 0)
            {
                // HttpClient got an answer in the end (re-sent, or on a fresh connection); a client
                // without retries saw these fail.
                var moved = Math.Min(lost, ok);
                (ok, failed) = (ok - moved, failed + moved);
                failures[LoadSnapshot.KeepAliveLossReason] = moved;
            }

            return new LoadSnapshot(
                elapsed,
                plannedTotal,
                Interlocked.Read(ref _sent),
                ok,
                failed,
                LatencyPercentiles.Of(sorted, 50),
                LatencyPercentiles.Of(sorted, 99),
                failures,
                lost);
        }
    }
}
