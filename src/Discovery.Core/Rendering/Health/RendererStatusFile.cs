using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Discovery.Core.Rendering.Health;

/// <summary>
/// Writes <see cref="RendererStatus"/> as JSON to a file (replaced atomically), so a monitoring
/// check or a script can ask "when did the renderer last succeed?" without talking to it.
/// </summary>
public static class RendererStatusFile
{
    public static async Task WriteAsync(string path, RendererStatus status, CancellationToken cancellationToken)
    {
        var temporary = $"{path}.tmp-{Environment.ProcessId}";
        await File.WriteAllTextAsync(temporary, Format(status), new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    public static string Format(RendererStatus status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteBoolean("healthy", status.IsHealthy);
            json.WriteString("at", Time(status.At));
            json.WriteBoolean("consulReachable", status.ConsulReachable);
            json.WriteNumber("heldAnswers", status.HeldAnswers);
            json.WriteNumber("rejectedEntries", status.RejectedEntries);
            json.WriteStartArray("templates");
            foreach (var template in status.Templates)
            {
                json.WriteStartObject();
                json.WriteString("source", template.Source);
                json.WriteString("destination", template.Destination);
                json.WriteBoolean("healthy", template.IsHealthy);
                WriteTime(json, "lastSuccessAt", template.LastSuccessAt);
                WriteTime(json, "lastChangeAt", template.LastChangeAt);
                if (template.LastError is null)
                {
                    json.WriteNull("lastError");
                }
                else
                {
                    json.WriteString("lastError", template.LastError);
                }

                json.WriteStartArray("missing");
                foreach (var dependency in template.Missing)
                {
                    json.WriteStringValue(dependency);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? at)
    {
        if (at is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, Time(at.Value));
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
