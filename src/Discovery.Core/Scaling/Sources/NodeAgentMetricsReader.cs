using System.Globalization;
using System.Net;
using Discovery.Consul;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.Observability;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Sources;

/// <summary>
/// What the node agents measure about their instances (CPU %, RSS, states): each passing
/// <c>discovery-agent</c> service names its <c>/metrics</c> address in meta <c>metrics</c>
/// (<see cref="MonitoringConfig.MetaKey"/>); this reads them all, in parallel, each with a timeout.
/// Addresses and text come from the network: an invalid address or a node that does not answer is
/// skipped and named in <see cref="NodeAgentScrape.Problems"/>, never thrown.
/// </summary>
internal sealed partial class NodeAgentMetricsReader(ConsulClient consul, HttpClient http, TimeSpan timeout, TimeProvider time, ILogger logger)
{
    /// <summary>Every sample of every reachable node agent, and what could not be read.</summary>
    public async Task<NodeAgentScrape> ReadAsync(CancellationToken cancellationToken)
    {
        var entries = (await consul.Health.ServiceAsync(ServiceRegistrationFactory.AgentServiceName, passingOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var problems = new List<string>();
        var targets = new List<(string Node, Uri Url)>();
        foreach (var entry in entries)
        {
            var node = entry.Node.Name;
            if (entry.Service.Meta is not { } meta || !meta.TryGetValue(MonitoringConfig.MetaKey, out var address) || address.Length == 0)
            {
                problems.Add($"{node}: no {MonitoringConfig.MetaKey} address in its discovery-agent registration (no monitoring section)");
                continue;
            }

            if (ParseAddress(address) is not { } url)
            {
                problems.Add($"{node}: meta {MonitoringConfig.MetaKey} \"{address}\" is not host:port");
                continue;
            }

            targets.Add((node, url));
        }

        var results = await Task.WhenAll(targets.Select(target => ScrapeAsync(target.Node, target.Url, cancellationToken))).ConfigureAwait(false);
        var samples = new List<PrometheusSample>();
        foreach (var (node, scraped, problem) in results)
        {
            samples.AddRange(scraped);
            if (problem is not null)
            {
                problems.Add($"{node}: {problem}");
            }
        }

        foreach (var problem in problems)
        {
            LogSkipped(problem);
        }

        return new NodeAgentScrape(samples, problems, targets.Count);
    }

    /// <summary>"host:port" → http://host:port/metrics; null for anything else.</summary>
    internal static Uri? ParseAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon > 0
               && IPAddress.TryParse(address[..colon], out var ip)
               && int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
               && port is > 0 and < 65536
            ? new Uri($"http://{ip}:{port}/metrics")
            : null;
    }

    private async Task<(string Node, IReadOnlyList<PrometheusSample> Samples, string? Problem)> ScrapeAsync(string node, Uri url, CancellationToken cancellationToken)
    {
        using var expiry = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, expiry.Token);
        try
        {
            var text = await http.GetStringAsync(url, deadline.Token).ConfigureAwait(false);
            var samples = PrometheusTextParser.Parse(text, out var skipped);
            return (node, samples, skipped > 0 ? $"{skipped} unreadable line(s) in {url}" : null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (node, [], $"{url} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException error)
        {
            return (node, [], $"{url}: {error.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "node agent metrics: {Problem}")]
    private partial void LogSkipped(string problem);
}
