namespace Discovery.Core.Configuration;

public enum ConfigFormat
{
    Json,
    Yaml,
}
