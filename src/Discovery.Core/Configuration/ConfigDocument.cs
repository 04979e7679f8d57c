namespace Discovery.Core.Configuration;

/// <summary>
/// The part every config loader (node, scaler, renderer) shares: read the file, pick JSON or
/// YAML by extension, parse into the neutral tree, insist on a map at the top, then hand the
/// root to the loader's binder. Errors are collected, never thrown, so a loader reports every
/// problem of a file at once.
/// </summary>
internal static class ConfigDocument
{
    /// <summary>The binder of one config format: root map, folder relative paths resolve against, error sink.</summary>
    public delegate T Binder<out T>(ConfigMapReader root, string baseDirectory, List<ConfigError> errors);

    /// <summary>Reads and binds a file; the format follows the extension (.json, .yaml, .yml).</summary>
    public static (T? Config, IReadOnlyList<ConfigError> Errors) LoadFile<T>(string path, Binder<T> bind)
        where T : class
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, [new ConfigError("", $"cannot read {fullPath}: {exception.Message}")]);
        }

        var extension = Path.GetExtension(fullPath).ToLowerInvariant();
        ConfigFormat? format = extension switch
        {
            ".json" => ConfigFormat.Json,
            ".yaml" or ".yml" => ConfigFormat.Yaml,
            _ => null,
        };
        return format is null
            ? (null, [new ConfigError("", $"{fullPath}: unknown extension \"{extension}\" (use .json, .yaml or .yml)")])
            : Load(text, format.Value, Path.GetDirectoryName(fullPath)!, bind);
    }

    /// <summary>Parses and binds config text; the config only when there was no error at all.</summary>
    public static (T? Config, IReadOnlyList<ConfigError> Errors) Load<T>(string text, ConfigFormat format, string baseDirectory, Binder<T> bind)
        where T : class
    {
        var errors = new List<ConfigError>();
        var root = format == ConfigFormat.Json ? ConfigTreeReader.ReadJson(text, errors) : ConfigTreeReader.ReadYaml(text, errors);
        if (root is null)
        {
            return (null, errors);
        }

        if (root.Kind != ConfigNodeKind.Map)
        {
            errors.Add(new ConfigError("", $"expected a map at the top level, got {root.Describe()}"));
            return (null, errors);
        }

        var config = bind(new ConfigMapReader(root, "", errors), baseDirectory, errors);
        return errors.Count == 0 ? (config, []) : (null, errors);
    }
}
