using System.Text.Json.Serialization;

namespace Discovery.Consul.Sessions;

/// <summary>A live session (GET /v1/session/info/:id and friends).</summary>
public sealed record SessionEntry
{
    /// <summary>Session ID.</summary>
    public string ID { get; init; } = "";

    /// <summary>Name given at creation.</summary>
    public string Name { get; init; } = "";

    /// <summary>Node the session belongs to.</summary>
    public string Node { get; init; } = "";

    /// <summary>Node checks tied to the session (Consul 1.7+ reports them here).</summary>
    public IReadOnlyList<string>? NodeChecks { get; init; }

    /// <summary>Legacy list of checks (older Consul reports them here).</summary>
    public IReadOnlyList<string>? Checks { get; init; }

    /// <summary>Lock delay in nanoseconds, as Consul reports it.</summary>
    [JsonPropertyName("LockDelay")]
    public long LockDelayNanoseconds { get; init; }

    /// <summary>Lock delay.</summary>
    [JsonIgnore]
    public TimeSpan LockDelay => TimeSpan.FromTicks(LockDelayNanoseconds / 100);

    /// <summary>release or delete.</summary>
    public string Behavior { get; init; } = "";

    /// <summary>TTL as a Go duration, empty when the session has none.</summary>
    public string TTL { get; init; } = "";

    /// <summary>Raft index that created the session.</summary>
    public ulong CreateIndex { get; init; }
}
