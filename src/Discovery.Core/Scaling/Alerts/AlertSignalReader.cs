using System.Globalization;
using Discovery.Consul;
using Discovery.Core.Observability;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Sources;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Scaling.Alerts;

/// <summary>
/// Reads each rule's signal for one evaluation round from what the fleet already measures: the node
/// agents' /metrics (read once per round), the scaler's request-rate source, the leader key, the
/// <c>lb</c> services and their renderers' /health. A signal that cannot be read is null with the
/// reason, so the evaluator leaves the rule as it is.
/// </summary>
internal sealed class AlertSignalReader(ConsulClient consul, NodeAgentMetricsReader nodeAgents, IMetricSource requestRate, HttpClient http, string prefix, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, (double? Value, string Detail)>> ReadAsync(IReadOnlyList<AlertRule> rules, CancellationToken cancellationToken)
    {
        NodeAgentScrape? scrape = null;
        string? scrapeProblem = null;
        if (rules.Any(rule => rule.Signal is AlertSignal.InstanceCpu or AlertSignal.InstanceRss or AlertSignal.CrashLoops))
        {
            try
            {
                scrape = await nodeAgents.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ConsulException error)
            {
                scrapeProblem = error.Message;
            }
        }

        var values = new Dictionary<string, (double?, string)>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            try
            {
                values[rule.Name] = rule.Signal switch
                {
                    AlertSignal.InstanceCpu => FromNodes(scrape, scrapeProblem, "discovery_instance_cpu_percent", rule.App!, 1, "highest instance CPU %"),
                    AlertSignal.InstanceRss => FromNodes(scrape, scrapeProblem, "discovery_instance_rss_bytes", rule.App!, 1.0 / (1024 * 1024), "highest instance RSS MiB"),
                    AlertSignal.CrashLoops => CrashLoops(scrape, scrapeProblem, rule.App!),
                    AlertSignal.RequestRate => await RequestRateAsync(rule.App!, cancellationToken).ConfigureAwait(false),
                    AlertSignal.NoLeader => await NoLeaderAsync(rule.App!, cancellationToken).ConfigureAwait(false),
                    _ => await RenderersFailingAsync(cancellationToken).ConfigureAwait(false),
                };
            }
            catch (ConsulException error)
            {
                values[rule.Name] = (null, $"cannot read: {error.Message}");
            }
        }

        return values;
    }

    private static (double?, string) FromNodes(NodeAgentScrape? scrape, string? problem, string series, string app, double scale, string what)
    {
        if (scrape is null || scrape.Problems.Count > 0)
        {
            return (null, "node agents unreadable: " + (problem ?? string.Join("; ", scrape?.Problems ?? [])));
        }

        var values = scrape.Values(series, app).Select(value => value * scale).ToList();
        return values.Count == 0
            ? (null, $"no instance of {app} reports {series}")
            : (values.Max(), $"{what} over {values.Count} instance(s)");
    }

    private static (double?, string) CrashLoops(NodeAgentScrape? scrape, string? problem, string app)
    {
        if (scrape is null || scrape.Problems.Count > 0)
        {
            return (null, "node agents unreadable: " + (problem ?? string.Join("; ", scrape?.Problems ?? [])));
        }

        var looping = scrape.Samples
            .Where(sample => sample.Name == "discovery_node_instances" && sample.Label("app") == app && sample.Label("state") == "crash-looping")
            .Sum(sample => sample.Value);
        return (looping, $"{looping} crash-looping instance(s) of {app}");
    }

    private async Task<(double?, string)> RequestRateAsync(string app, CancellationToken cancellationToken)
    {
        var reading = await requestRate.ReadAsync(app, cancellationToken).ConfigureAwait(false);
        return reading.Value is { } value ? (value, "requests/min at the load balancers") : (null, reading.MissingReason ?? "missing");
    }

    private async Task<(double?, string)> NoLeaderAsync(string app, CancellationToken cancellationToken)
    {
        var leaderKey = new ScalerKeys(prefix, app).Leader;
        var pair = (await consul.KV.GetAsync(leaderKey, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        return string.IsNullOrEmpty(pair?.Session) ? (1, $"{leaderKey} is held by no session") : (0, $"held (session {pair.Session})");
    }

    private async Task<(double?, string)> RenderersFailingAsync(CancellationToken cancellationToken)
    {
        var entries = (await consul.Health.ServiceAsync("lb", cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var failing = new List<string>();
        foreach (var entry in entries)
        {
            if (entry.AggregatedStatus != "passing")
            {
                failing.Add($"{entry.Service.ID} check {entry.AggregatedStatus}");
            }
            else if (entry.Service.Meta is { } meta && meta.TryGetValue(MonitoringConfig.MetaKey, out var address)
                     && NodeAgentMetricsReader.ParseAddress(address) is { } metricsUrl
                     && await HealthProblemAsync(new Uri(metricsUrl, "/health"), cancellationToken).ConfigureAwait(false) is { } problem)
            {
                failing.Add($"{entry.Service.ID}: {problem}");
            }
        }

        return (failing.Count, failing.Count == 0
            ? $"{entries.Count} load balancer(s) healthy"
            : string.Join("; ", failing));
    }

    private async Task<string?> HealthProblemAsync(Uri health, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(3), time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            using var response = await http.GetAsync(health, deadline.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? null
                : $"/health {(int)response.StatusCode}: {(await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false)).Trim()}";
        }
        catch (Exception error) when (error is HttpRequestException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return string.Create(CultureInfo.InvariantCulture, $"/health unreachable: {error.Message}");
        }
    }
}
