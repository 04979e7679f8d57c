using Discovery.Core.Observability;

namespace Discovery.Core.Scaling.Sources;

/// <summary>One read of every node agent's /metrics: the samples, what could not be read, and how many node agents were asked.</summary>
internal sealed record NodeAgentScrape(IReadOnlyList<PrometheusSample> Samples, IReadOnlyList<string> Problems, int Asked)
{
    /// <summary>Values of <paramref name="metric"/> for <paramref name="app"/>, one per series.</summary>
    public IEnumerable<double> Values(string metric, string app) =>
        Samples.Where(sample => sample.Name == metric && sample.Label("app") == app && double.IsFinite(sample.Value)).Select(sample => sample.Value);
}
