using System.Text.Json;
using System.Text.Json.Serialization;
using Discovery.Consul.Durations;

namespace Discovery.Consul.Serialization;

/// <summary>Writes TimeSpans as Go durations ("10s"); reads Go durations or nanosecond integers (Consul uses both).</summary>
public sealed class GoDurationJsonConverter : JsonConverter<TimeSpan>
{
    /// <inheritdoc />
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => TimeSpan.FromTicks(reader.GetInt64() / 100),
            JsonTokenType.String => GoDuration.Parse(reader.GetString()!),
            _ => throw new JsonException($"expected a duration, got {reader.TokenType}"),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(GoDuration.Format(value));
}
