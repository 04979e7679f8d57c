using System.Text.Json;

namespace Discovery.Core.Scaling.Store;

/// <summary>camelCase JSON of a <see cref="DecisionRecord"/>, readable in the Consul UI.</summary>
internal static class DecisionRecordJson
{
    public static string Write(DecisionRecord record) => JsonSerializer.Serialize(record, ScalerJsonContext.Default.DecisionRecord);

    /// <summary>Reads a stored entry; null for garbage (history is informational, never decisive).</summary>
    public static DecisionRecord? TryRead(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, ScalerJsonContext.Default.DecisionRecord);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
