using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Discovery.Core.Flags;

/// <summary>
/// The flag value in KV and the file the node agent hands its instances (<c>{"flags":{name:{enabled,percent}}}</c>).
/// Both come from KV, so reading checks every name and field; an invalid flag is left out with its reason.
/// </summary>
internal static partial class FlagJson
{
    public const int MaxNameLength = 64;

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static string Write(FeatureFlag flag) => JsonSerializer.Serialize(flag, FlagJsonContext.Default.FeatureFlag);

    /// <summary>A flag read from KV; null with the reason for anything else.</summary>
    public static FeatureFlag? Read(string text, out string? error)
    {
        error = null;
        try
        {
            var flag = JsonSerializer.Deserialize(text, FlagJsonContext.Default.FeatureFlag);
            error = flag is null ? "empty" : flag.Percent is < 0 or > 100 ? $"percent {flag.Percent} not in 0-100" : null;
            return error is null ? flag : null;
        }
        catch (JsonException e)
        {
            error = e.Message;
            return null;
        }
    }

    /// <summary>The file for the instances: the valid flags, names sorted.</summary>
    public static string WriteFile(IReadOnlyDictionary<string, FeatureFlag> flags) =>
        JsonSerializer.Serialize(new FlagFile(new SortedDictionary<string, FeatureFlag>(flags.ToDictionary(), StringComparer.Ordinal)), FlagJsonContext.Default.FlagFile);

    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    internal sealed record FlagFile(SortedDictionary<string, FeatureFlag> Flags);

    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectNullableAnnotations = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
    [JsonSerializable(typeof(FeatureFlag))]
    [JsonSerializable(typeof(FlagFile))]
    private sealed partial class FlagJsonContext : JsonSerializerContext;
}
