namespace Discovery.Core.Configuration;

/// <summary>An invalid config file; the message lists every error, one per line, with its path.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(IReadOnlyList<ConfigError> errors)
        : base(FormatMessage(errors))
    {
        Errors = errors;
    }

    public IReadOnlyList<ConfigError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<ConfigError> errors) =>
        $"invalid configuration ({errors.Count} error{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(error => "\n  " + error));
}
