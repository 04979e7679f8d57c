using System.Text.Json;

namespace Discovery.Core.NodeAgent.State;

/// <summary>Reads and atomically writes &lt;dataDir&gt;/instances.json.</summary>
public static class InstanceStateFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>The records in the file; empty when there is none. A corrupt file is moved aside (".corrupt") rather than trusted.</summary>
    public static IReadOnlyList<InstanceRecord> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize<List<InstanceRecord>>(File.ReadAllText(path), Options) ?? [];
        }
        catch (JsonException)
        {
            // Atomic writes make this unlikely; if it happens anyway, starting clean beats refusing to start.
            // Processes the lost records described are not adopted; their ports stay busy until an operator looks.
            File.Move(path, path + ".corrupt", overwrite: true);
            return [];
        }
    }

    /// <summary>Writes to a temp file in the same folder, flushes it to disk, then renames over the old file.</summary>
    public static void Save(string path, IReadOnlyCollection<InstanceRecord> records)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, records, Options);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
