using Discovery.Core.Configuration;

namespace Discovery.Core.Scaling.Configuration;

/// <summary>Either a valid scaler config or every problem found in the file; never both.</summary>
internal sealed record ScalerConfigLoadResult(ScalerConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;

    /// <summary>The config, or a <see cref="ConfigException"/> that lists every error.</summary>
    public ScalerConfig GetConfigOrThrow() => IsValid ? Config! : throw new ConfigException(Errors);
}
