using System.Text.Json.Serialization;
using Discovery.Consul.Serialization;

namespace Discovery.Consul.Sessions;

/// <summary>
/// A session to create (PUT /v1/session/create). A session is invalidated when any of its checks
/// turns critical, when its TTL passes without renewal, or when it is destroyed.
/// </summary>
public sealed record SessionRequest
{
    /// <summary>Human-readable name.</summary>
    public string? Name { get; init; }

    /// <summary>Node the session belongs to; defaults to the agent's node.</summary>
    public string? Node { get; init; }

    /// <summary>Check IDs tied to the session. Null means Consul's default ["serfHealth"];
    /// an empty list means none.</summary>
    public IReadOnlyList<string>? Checks { get; init; }

    /// <summary>Time after invalidation during which a released lock cannot be re-acquired (0–60 s; Consul default 15 s).</summary>
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? LockDelay { get; init; }

    /// <summary><see cref="SessionBehavior.Release"/> (default) or <see cref="SessionBehavior.Delete"/>.</summary>
    public string? Behavior { get; init; }

    /// <summary>Session TTL (10 s–24 h). Consul reaps an expired session after up to 2×TTL.</summary>
    [JsonPropertyName("TTL")]
    [JsonConverter(typeof(GoDurationJsonConverter))]
    public TimeSpan? Ttl { get; init; }
}
