using System.Text.Json;
using System.Text.Json.Serialization;

namespace Discovery.Core.Lab;

/// <summary>
/// .lab/local/state.json: what a running lab consists of, rewritten after every process start so a
/// lab that failed half-way up can still be taken down. Processes are listed in start order.
/// </summary>
internal sealed partial record LabState(DateTimeOffset StartedAt, string AddressPrefix, int OwnerPid, bool Detached, IReadOnlyList<LabProcessRecord> Processes)
{

    public static LabState? TryLoad(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), LabStateContext.Default.LabState) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, LabStateContext.Default.LabState));
        File.Move(temporary, path, overwrite: true);
    }

    // Source-generated (no reflection): `agent` may be published as a native executable.
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
    [JsonSerializable(typeof(LabState))]
    private sealed partial class LabStateContext : JsonSerializerContext;
}
