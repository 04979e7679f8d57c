namespace Discovery.Core.Configuration;

/// <summary>Builds the paths used in config errors: "consul.address", "apps[1].ports", "apps[0].env.PORT".</summary>
internal static class ConfigPath
{
    public static string Key(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    public static string Index(string parent, int index) => $"{parent}[{index}]";
}
