using Discovery.Consul;
using Discovery.Core.Scaling.Metrics;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Sources;

/// <summary>
/// Requests per minute from the <c>stub_status</c> page of every <c>lb</c> service in the catalog
/// (service meta <c>stub_status</c> = URL). <see cref="RunAsync"/> scrapes on a fixed interval;
/// <see cref="ReadAsync"/> returns the summed rate, missing when any load balancer is unreachable,
/// unparseable or has too few samples, so the scaler holds instead of scaling on a gap.
/// nginx counts every request it serves, so the rate is the whole LB's traffic, the same for every app.
/// </summary>
internal sealed partial class StubStatusMetricSource : IMetricSource
{
    public const string LoadBalancerService = "lb";
    public const string StubStatusMetaKey = "stub_status";

    private readonly ConsulClient _consul;
    private readonly HttpClient _http;
    private readonly StubStatusSourceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RequestRateAggregator _aggregator;
    private readonly Lock _gate = new();
    private IReadOnlyDictionary<string, Uri?> _loadBalancers = new Dictionary<string, Uri?>();

    public StubStatusMetricSource(ConsulClient consul, HttpClient http, StubStatusSourceOptions options, TimeProvider time, ILogger<StubStatusMetricSource> logger)
    {
        _consul = consul;
        _http = http;
        _options = options;
        _time = time;
        _logger = logger;
        _aggregator = new RequestRateAggregator(options.RateWindow);
    }

    public string Metric => MetricNames.RequestsPerMinute;

    public ValueTask<MetricReading> ReadAsync(string app, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_aggregator.RequestsPerMinute(_time.GetUtcNow()));
        }
    }

    /// <summary>
    /// Scrapes every <see cref="StubStatusSourceOptions.ScrapeInterval"/> until cancelled, but only
    /// while <paramref name="needed"/> says so: nginx counts every stub_status read as a request, so
    /// a follower's scrapes would be traffic in the leader's numbers. A new leader therefore holds
    /// until it has two samples of its own (missing data means hold).
    /// </summary>
    public async Task RunAsync(Func<bool> needed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(needed);
        using var timer = new PeriodicTimer(_options.ScrapeInterval, _time);
        do
        {
            if (needed())
            {
                await ScrapeOnceAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Refreshes the set of load balancers from the catalog, then scrapes each once, in parallel.</summary>
    public async Task ScrapeOnceAsync(CancellationToken cancellationToken)
    {
        await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        var targets = _loadBalancers;
        await Task.WhenAll(targets.Select(target => ScrapeAsync(target.Key, target.Value, cancellationToken))).ConfigureAwait(false);
    }

    private async Task DiscoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            var entries = await _consul.Catalog.ServiceAsync(LoadBalancerService, cancellationToken: cancellationToken).ConfigureAwait(false);
            var found = new Dictionary<string, Uri?>(StringComparer.Ordinal);
            foreach (var entry in entries.Value)
            {
                var url = entry.ServiceMeta is { } meta && meta.TryGetValue(StubStatusMetaKey, out var text)
                          && Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https"
                    ? parsed
                    : null;
                found[entry.ServiceID] = url;
            }

            lock (_gate)
            {
                _aggregator.SetLoadBalancers(found.Keys);
            }

            if (!found.Keys.Order(StringComparer.Ordinal).SequenceEqual(_loadBalancers.Keys.Order(StringComparer.Ordinal)))
            {
                LogLoadBalancers(found.Count == 0 ? "(none)" : string.Join(", ", found.Keys.Order(StringComparer.Ordinal)));
            }

            _loadBalancers = found;
        }
        catch (ConsulException e)
        {
            // Keep scraping the load balancers we know: the catalog being unreachable says
            // nothing about their traffic.
            LogCannotList(LoadBalancerService, _loadBalancers.Count, e.Message);
        }
    }

    private async Task ScrapeAsync(string loadBalancer, Uri? url, CancellationToken cancellationToken)
    {
        string? failure;
        long requests = 0;
        if (url is null)
        {
            failure = $"service meta \"{StubStatusMetaKey}\" is missing or not an http(s) URL";
        }
        else
        {
            using var expiry = new CancellationTokenSource(_options.HttpTimeout, _time);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
            try
            {
                using var response = await _http.GetAsync(url, timeout.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    failure = $"{url} answered {(int)response.StatusCode}";
                }
                else if (StubStatusParser.TryParse(body, out var status, out var error))
                {
                    failure = null;
                    requests = status.Requests;
                }
                else
                {
                    failure = $"{url}: {error}";
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = $"{url} did not answer within {_options.HttpTimeout.TotalSeconds:0.###}s";
            }
            catch (HttpRequestException e)
            {
                failure = $"{url}: {e.Message}";
            }
        }

        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (failure is null)
            {
                _aggregator.Record(loadBalancer, now, requests);
            }
            else
            {
                _aggregator.RecordFailure(loadBalancer, now, failure);
            }
        }

        if (failure is not null)
        {
            LogScrapeFailed(loadBalancer, failure);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Load balancers now: {LoadBalancers}")]
    private partial void LogLoadBalancers(string loadBalancers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot list {Service} services, keeping {Count} known: {Error}")]
    private partial void LogCannotList(string service, int count, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scrape of {LoadBalancer} failed (scaling holds until it recovers): {Reason}")]
    private partial void LogScrapeFailed(string loadBalancer, string reason);
}
