using Discovery.Core.Configuration;
namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>Either a valid config or every problem found in the file; never both.</summary>
public sealed record ConfigLoadResult(NodeAgentConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;

    /// <summary>The config, or a <see cref="ConfigException"/> that lists every error.</summary>
    public NodeAgentConfig GetConfigOrThrow() =>
        IsValid ? Config! : throw new ConfigException(Errors);
}
