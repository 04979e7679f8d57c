using System.CommandLine;

namespace Discovery.Cli.Options;

/// <summary>
/// `--config &lt;file&gt;` for the long-running verbs (node, scaler, render): required, and a missing
/// file is a parse error (exit 2) before anything starts.
/// </summary>
internal static class ConfigFileOption
{
    public static Option<FileInfo> Create(string what, string formats = "YAML or JSON")
    {
        var option = new Option<FileInfo>("--config")
        {
            Description = $"The {what} configuration file ({formats}).",
            Required = true,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { Exists: false } file)
            {
                result.AddError($"configuration file '{file.FullName}' does not exist");
            }
        });
        return option;
    }
}
