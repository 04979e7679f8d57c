using System.Text.Json;

namespace Discovery.Core.Lab;

/// <summary>
/// .lab/local/state.json: what a running lab consists of, rewritten after every process start so a
/// lab that failed half-way up can still be taken down. Processes are listed in start order.
/// </summary>
internal sealed record LabState(DateTimeOffset StartedAt, string AddressPrefix, int OwnerPid, bool Detached, IReadOnlyList<LabProcessRecord> Processes)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static LabState? TryLoad(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<LabState>(File.ReadAllText(path), Json) : null;
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
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
