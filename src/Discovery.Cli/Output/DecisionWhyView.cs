using System.Text;
using System.Text.Json;
using Discovery.Core.Status;

namespace Discovery.Cli.Output;

/// <summary>
/// `agent status --why &lt;app&gt;`: the last decisions with everything that shaped each (kind,
/// old → new, reason, readings with their window and samples, the policy's clamps, hold, pause,
/// placement, fencing token, leader), as plain text — or, with --json, the history entries as stored.
/// </summary>
internal static class DecisionWhyView
{
    public static string Text(AppStatus app)
    {
        var text = new StringBuilder();
        text.AppendLine($"{app.Name}: the last {app.Decisions.Count} decision(s), oldest first (KV history; one entry per change of decision, none for a repeated no-change)");
        foreach (var decision in app.Decisions)
        {
            text.AppendLine();
            if (decision.Raw is not { ValueKind: JsonValueKind.Object } entry)
            {
                text.AppendLine($"#{decision.Sequence} {decision.Summary}");
                continue;
            }

            text.AppendLine($"#{decision.Sequence} {Field(entry, "at")}  {Field(entry, "kind")} {Field(entry, "from")} → {Field(entry, "to")}");
            text.AppendLine($"  reason     {Field(entry, "reason")}");
            text.AppendLine($"  leader     {Field(entry, "leader")} (fencing token {Field(entry, "fencingToken")})");
            if (entry.TryGetProperty("metrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
            {
                text.AppendLine($"  metrics    {string.Join(", ", metrics.EnumerateObject().Select(metric => $"{metric.Name} = {metric.Value.GetRawText()}"))}");
            }

            if (entry.TryGetProperty("placement", out var placement) && placement.ValueKind == JsonValueKind.Object)
            {
                text.AppendLine($"  placement  {string.Join(", ", placement.EnumerateObject().Select(node => $"{node.Name}={node.Value.GetRawText()}"))}");
            }

            if (entry.TryGetProperty("explanation", out var explanation) && explanation.ValueKind == JsonValueKind.Array)
            {
                foreach (var line in explanation.EnumerateArray())
                {
                    text.AppendLine($"  · {line.GetString()}");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The stored entries as one JSON array (each as the scaler wrote it).</summary>
    public static string Json(AppStatus app)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var decision in app.Decisions)
            {
                if (decision.Raw is { } raw)
                {
                    raw.WriteTo(writer);
                }
                else
                {
                    writer.WriteStringValue(decision.Summary);
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string Field(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText()
            : "?";
}
