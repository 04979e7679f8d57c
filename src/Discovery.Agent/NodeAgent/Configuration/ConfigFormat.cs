namespace Discovery.Agent.NodeAgent.Configuration;

public enum ConfigFormat
{
    Json,
    Yaml,
}
