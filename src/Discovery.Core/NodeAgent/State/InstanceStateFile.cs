using System.Text.Json;
using Discovery.Core.Processes;
using System.Text.Json.Serialization;

namespace Discovery.Core.NodeAgent.State;

/// <summary>Reads and atomically writes &lt;dataDir&gt;/instances.json.</summary>
public static partial class InstanceStateFile
{

    /// <summary>The records in the file; empty when there is none. A corrupt file is moved aside (".corrupt") rather than trusted.</summary>
    public static IReadOnlyList<InstanceRecord> Load(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), InstanceStateContext.Default.ListInstanceRecord) ?? [];
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
        using (var file = PrivateFiles.CreateState(temporary))
        {
            JsonSerializer.Serialize(file, [.. records], InstanceStateContext.Default.ListInstanceRecord);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    // Web defaults (camelCase, case-insensitive reading), source-generated: fit for native AOT.
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
    [JsonSerializable(typeof(List<InstanceRecord>))]
    private sealed partial class InstanceStateContext : JsonSerializerContext;
}
