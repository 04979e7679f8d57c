namespace Discovery.Core.Scaling.Metrics;

/// <summary>
/// Requests per minute for one app: a <see cref="RequestRateWindow"/> per load balancer, summed.
/// If any load balancer's rate is missing, the sum is missing: a partial sum would under-count
/// traffic and scale down. Not thread-safe: one scaler loop owns it.
/// </summary>
internal sealed class RequestRateAggregator
{
    private readonly RequestRateWindowOptions _options;
    private readonly SortedDictionary<string, RequestRateWindow> _windows = new(StringComparer.Ordinal);

    public RequestRateAggregator(RequestRateWindowOptions options)
    {
        _options = options;
        _ = new RequestRateWindow(options); // validates the options once, up front
    }

    public IReadOnlyCollection<string> LoadBalancers => _windows.Keys;

    /// <summary>
    /// Makes the set of load balancers exactly <paramref name="loadBalancers"/> (from the catalog):
    /// new ones start empty (so the rate is missing until they have samples), removed ones are
    /// forgotten.
    /// </summary>
    public void SetLoadBalancers(IEnumerable<string> loadBalancers)
    {
        var wanted = new HashSet<string>(loadBalancers, StringComparer.Ordinal);
        foreach (var gone in _windows.Keys.Where(lb => !wanted.Contains(lb)).ToList())
        {
            _windows.Remove(gone);
        }

        foreach (var lb in wanted)
        {
            WindowFor(lb);
        }
    }

    public bool Record(string loadBalancer, DateTimeOffset at, long requests) =>
        WindowFor(loadBalancer).Add(at, requests);

    public void RecordFailure(string loadBalancer, DateTimeOffset at, string reason) =>
        WindowFor(loadBalancer).AddFailure(at, reason);

    public MetricReading RequestsPerMinute(DateTimeOffset now) =>
        Sum(_windows.Select(w => KeyValuePair.Create(w.Key, w.Value.RequestsPerMinute(now))));

    /// <summary>Sums per-load-balancer readings; missing if there are none or any one is missing.</summary>
    public static MetricReading Sum(IEnumerable<KeyValuePair<string, MetricReading>> perLoadBalancer)
    {
        var total = 0.0;
        var count = 0;
        var missing = new List<string>();
        var details = new List<string>();
        var age = TimeSpan.Zero;
        foreach (var (lb, reading) in perLoadBalancer.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            count++;
            if (reading.Value is { } value)
            {
                total += value;
                details.Add($"{lb}: {reading.Detail}");
                age = reading.Age > age ? reading.Age : age;
            }
            else
            {
                missing.Add($"{lb}: {reading.MissingReason}");
            }
        }

        if (count == 0)
        {
            return MetricReading.Missing("no load balancers known");
        }

        return missing.Count == 0
            ? MetricReading.Of(total, string.Join("; ", details), age)
            : MetricReading.Missing(string.Join("; ", missing));
    }

    private RequestRateWindow WindowFor(string loadBalancer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(loadBalancer);
        if (!_windows.TryGetValue(loadBalancer, out var window))
        {
            window = new RequestRateWindow(_options);
            _windows.Add(loadBalancer, window);
        }

        return window;
    }
}
