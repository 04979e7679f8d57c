using System.Globalization;

namespace Discovery.Core.Scaling.Metrics;

/// <summary>
/// Samples of one load balancer's <c>requests</c> counter over a sliding window, turned into
/// requests per minute. Not thread-safe: one scaler loop owns it.
/// </summary>
internal sealed class RequestRateWindow
{
    private readonly RequestRateWindowOptions _options;
    private readonly List<(DateTimeOffset At, long Requests)> _samples = [];
    private (DateTimeOffset At, string Reason)? _lastFailure;

    public RequestRateWindow(RequestRateWindowOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid rate window options: " + string.Join("; ", errors), nameof(options));
        }

        _options = options;
    }

    public int SampleCount => _samples.Count;

    /// <summary>
    /// Adds a counter sample. Returns false (and ignores it) when it is not newer than the last
    /// sample: a clock step backwards must not produce a negative time span.
    /// </summary>
    public bool Add(DateTimeOffset at, long requests)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(requests);
        if (_samples.Count > 0 && at <= _samples[^1].At)
        {
            return false;
        }

        _samples.Add((at, requests));
        if (_lastFailure is { } failure && failure.At <= at)
        {
            _lastFailure = null;
        }

        Prune(at);
        return true;
    }

    /// <summary>Records a failed scrape; the rate is missing until the next successful sample.</summary>
    public void AddFailure(DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _lastFailure = (at, reason);
    }

    /// <summary>Requests per minute over the window ending at <paramref name="now"/>, or missing with the reason.</summary>
    public MetricReading RequestsPerMinute(DateTimeOffset now)
    {
        if (_lastFailure is { } failure)
        {
            return MetricReading.Missing($"last scrape failed at {Format(failure.At)}: {failure.Reason}");
        }

        var windowStart = now - _options.Window;
        var inWindow = _samples.Where(s => s.At >= windowStart && s.At <= now).ToList();
        if (_samples.Count > 0 && now - _samples[^1].At > _options.MaxStaleness)
        {
            return MetricReading.Missing(
                $"latest sample is {Seconds(now - _samples[^1].At)} old (max {Seconds(_options.MaxStaleness)})");
        }

        if (inWindow.Count < _options.MinSamples)
        {
            return MetricReading.Missing(
                $"{inWindow.Count} sample(s) in the last {Seconds(_options.Window)}, need {_options.MinSamples}");
        }

        long requests = 0;
        for (var i = 1; i < inWindow.Count; i++)
        {
            var gap = inWindow[i].At - inWindow[i - 1].At;
            if (gap > _options.MaxSampleGap)
            {
                return MetricReading.Missing(
                    $"gap of {Seconds(gap)} between samples at {Format(inWindow[i - 1].At)} and {Format(inWindow[i].At)} (max {Seconds(_options.MaxSampleGap)})");
            }

            var delta = inWindow[i].Requests - inWindow[i - 1].Requests;

            // A counter that went backwards means nginx restarted and counts from zero again: the
            // new value is the traffic since the restart, not negative traffic.
            var counted = delta >= 0 ? delta : inWindow[i].Requests;
            requests += Math.Max(0, counted - _options.OwnRequestsPerSample);
        }

        var span = inWindow[^1].At - inWindow[0].At;
        var samples = string.Join(", ", inWindow.Select(sample => $"{Format(sample.At)}={sample.Requests}"));
        return MetricReading.Of(
            requests / span.TotalMinutes,
            $"{requests} requests in {Seconds(span)} ({inWindow.Count} samples, window {Seconds(_options.Window)}, own scrapes subtracted): {samples}",
            now - inWindow[^1].At);
    }

    // Samples older than the window can never be read again; dropping them bounds memory.
    private void Prune(DateTimeOffset latest)
    {
        var windowStart = latest - _options.Window;
        _samples.RemoveAll(s => s.At < windowStart);
    }

    private static string Seconds(TimeSpan span) =>
        span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";

    private static string Format(DateTimeOffset at) => at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
