using System.CommandLine;
using Discovery.Core.Lab;

namespace Discovery.Cli.Options;

/// <summary>--lab-dir, shared by the lab verbs: where state.json, tokens, configs and logs live.</summary>
internal sealed class LabLocationOptions
{
    public Option<DirectoryInfo?> StateDirectory { get; } = new("--lab-dir")
    {
        Description = "Lab state folder. Default: <repo>/.lab/local (or DISCOVERY_LAB_DIR).",
    };

    public void AddTo(Command command) => command.Options.Add(StateDirectory);

    public string Resolve(ParseResult parseResult) =>
        parseResult.GetValue(StateDirectory)?.FullName ?? LabPaths.DefaultStateDirectory();
}
