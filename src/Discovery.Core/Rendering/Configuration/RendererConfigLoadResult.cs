using Discovery.Core.Configuration;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>Either a valid renderer config or every problem found in the file; never both.</summary>
public sealed record RendererConfigLoadResult(RendererConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;

    /// <summary>The config, or a <see cref="ConfigException"/> that lists every error.</summary>
    public RendererConfig GetConfigOrThrow() => IsValid ? Config! : throw new ConfigException(Errors);
}
