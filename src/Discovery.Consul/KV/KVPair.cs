using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Discovery.Consul.KV;

/// <summary>A key with its value and the indexes that make CAS and locking work.</summary>
public sealed record KVPair
{
    /// <summary>Full key path.</summary>
    public string Key { get; init; } = "";

    /// <summary>Raw value (base64 on the wire); null for a key without a value.</summary>
    public byte[]? Value { get; init; }

    /// <summary>Opaque 64-bit flags for the application.</summary>
    public ulong Flags { get; init; }

    /// <summary>Raft index that created the key.</summary>
    public ulong CreateIndex { get; init; }

    /// <summary>Raft index of the last change; the CAS token.</summary>
    public ulong ModifyIndex { get; init; }

    /// <summary>How many times the key was acquired: with <see cref="Session"/>, a fencing token.</summary>
    public ulong LockIndex { get; init; }

    /// <summary>Session holding the key, if any.</summary>
    public string? Session { get; init; }

    /// <summary>The value as UTF-8 text ("" when empty).</summary>
    public string ValueAsString() => Value is null ? "" : Encoding.UTF8.GetString(Value);

    /// <summary>The value as JSON, or default when empty.</summary>
    public T? ValueAsJson<T>(JsonTypeInfo<T> type) =>
        Value is null || Value.Length == 0 ? default : JsonSerializer.Deserialize(Value, type);
}
