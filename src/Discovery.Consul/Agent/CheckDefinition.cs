using System.Text.Json.Serialization;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Agent;

/// <summary>
/// A health check, either inside a <see cref="ServiceRegistration"/> or registered on its own.
/// Set exactly one of <see cref="Http"/>, <see cref="Tcp"/> or <see cref="Ttl"/>.
/// </summary>
public sealed record CheckDefinition
{
    /// <summary>Check ID; unique on the agent. Defaults to "service:&lt;id&gt;" inside a service.</summary>
    [JsonPropertyName("CheckID")]
    public string? CheckId { get; init; }

    /// <summary>Human-readable name.</summary>
    public string? Name { get; init; }

    /// <summary>Free text shown next to the check.</summary>
    public string? Notes { get; init; }

    /// <summary>URL for an HTTP check (2xx passing, 429 warning, else critical).</summary>
    [JsonPropertyName("HTTP")]
    public string? Http { get; init; }

    /// <summary>HTTP method of an HTTP check (default GET).</summary>
    public string? Method { get; init; }

    /// <summary>host:port for a TCP check.</summary>
    [JsonPropertyName("TCP")]
    public string? Tcp { get; init; }

    /// <summary>Time-to-live: the owner must pass the check within this span or it turns critical.</summary>
    [JsonPropertyName("TTL")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Ttl { get; init; }

    /// <summary>How often an HTTP/TCP check runs.</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Interval { get; init; }

    /// <summary>Timeout of one HTTP/TCP probe.</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Timeout { get; init; }

    /// <summary>Consul removes the service after the check has been critical this long (minimum 1m, reaped every 30s).</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? DeregisterCriticalServiceAfter { get; init; }

    /// <summary>Consecutive successes before a check turns passing.</summary>
    public int? SuccessBeforePassing { get; init; }

    /// <summary>Consecutive failures before a check turns critical.</summary>
    public int? FailuresBeforeCritical { get; init; }

    /// <summary>Initial status ("passing", "warning", "critical"); Consul defaults to critical.</summary>
    public string? Status { get; init; }

    /// <summary>Service the check belongs to, for a check registered on its own.</summary>
    [JsonPropertyName("ServiceID")]
    public string? ServiceId { get; init; }

    /// <summary>Skip TLS verification of an https HTTP check.</summary>
    [JsonPropertyName("TLSSkipVerify")]
    public bool? TlsSkipVerify { get; init; }
}
