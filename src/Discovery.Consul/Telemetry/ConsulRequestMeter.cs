using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Discovery.Consul.Telemetry;

/// <summary>
/// What every Consul request did, as .NET metrics (<see cref="System.Diagnostics.Metrics"/>): this
/// assembly references nothing else, so it only emits; a daemon that serves <c>/metrics</c> listens
/// with a <see cref="MeterListener"/> (Discovery.Core's Observability). Tags stay bounded: the
/// endpoint is the API path without keys, service names or IDs (<see cref="EndpointOf"/>).
/// </summary>
public static class ConsulRequestMeter
{
    /// <summary>The meter's name, for listeners.</summary>
    public const string MeterName = "Discovery.Consul";

    /// <summary>Instrument: seconds a non-blocking request took (tags endpoint, method, outcome).</summary>
    public const string DurationInstrument = "consul.request.duration";

    /// <summary>Instrument: blocking queries in flight (tag endpoint).</summary>
    public const string BlockingInstrument = "consul.blocking.open";

    /// <summary>Outcome tag: Consul answered 2xx (or an answer the caller accepts, like 404 on a read).</summary>
    public const string OutcomeOk = "ok";

    /// <summary>Outcome tag: Consul answered with an error status.</summary>
    public const string OutcomeError = "error";

    /// <summary>Outcome tag: no answer (refused, timed out).</summary>
    public const string OutcomeUnavailable = "unavailable";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(DurationInstrument, "s");
    private static readonly UpDownCounter<long> Blocking = Meter.CreateUpDownCounter<long>(BlockingInstrument);

    internal static void Record(string path, string method, string outcome, bool blocking, TimeSpan elapsed)
    {
        if (!Duration.Enabled)
        {
            return;
        }

        // Listeners count every request but time only non-blocking ones: a blocking query lasts as
        // long as nothing changes, which says nothing about Consul.
        Duration.Record(elapsed.TotalSeconds, new TagList
        {
            { "endpoint", EndpointOf(path) },
            { "method", method },
            { "outcome", outcome },
            { "blocking", blocking },
        });
    }

    internal static void BlockingStarted(string path) => Blocking.Add(1, new KeyValuePair<string, object?>("endpoint", EndpointOf(path)));

    internal static void BlockingEnded(string path) => Blocking.Add(-1, new KeyValuePair<string, object?>("endpoint", EndpointOf(path)));

    /// <summary>
    /// "/v1/kv/discovery/apps/web/desired" → "kv"; "/v1/health/service/web" → "health/service":
    /// the API's first two path segments, except KV and txn, whose second segment is data.
    /// </summary>
    public static string EndpointOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var segments = (query >= 0 ? path[..query] : path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var start = segments.Length > 0 && segments[0] == "v1" ? 1 : 0;
        if (segments.Length <= start)
        {
            return "other";
        }

        var first = segments[start];
        if (first is "kv" or "txn" || segments.Length == start + 1)
        {
            return first;
        }

        return first + "/" + segments[start + 1];
    }
}
