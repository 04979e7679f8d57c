using System.Text.Json;
using System.Text.Json.Serialization;

namespace Discovery.Core.Scaling.Store;

/// <summary>camelCase JSON of a <see cref="DecisionRecord"/>, readable in the Consul UI (source-generated: fit for native AOT).</summary>
internal static partial class DecisionRecordJson
{
    public static string Write(DecisionRecord record) => JsonSerializer.Serialize(record, DecisionRecordContext.Default.DecisionRecord);

    /// <summary>Reads a stored entry; null for garbage (history is informational, never decisive).</summary>
    public static DecisionRecord? TryRead(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, DecisionRecordContext.Default.DecisionRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(DecisionRecord))]
    private sealed partial class DecisionRecordContext : JsonSerializerContext;
}
