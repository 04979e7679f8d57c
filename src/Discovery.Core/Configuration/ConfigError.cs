namespace Discovery.Core.Configuration;

/// <summary>One problem in a config file: where (e.g. "apps[1].ports") and what.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
