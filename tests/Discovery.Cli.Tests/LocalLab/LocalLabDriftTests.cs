using System.Text.RegularExpressions;
using Discovery.Testing.Labs;
using Discovery.Testing.Tools;

namespace Discovery.Cli.Tests.LocalLab;

/// <summary>
/// The local lab uses exactly the shared files the VM lab uses (SharedLabFiles.All), by path: every
/// repository path the lab's code names is in the list, every listed file is named, and it exists.
/// </summary>
public sealed partial class LocalLabDriftTests
{
    private static readonly string LabSource = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Core", "Lab");

    [Fact]
    public void LabSources_SharedFilePaths_ExactlySharedLabFilesAll()
    {
        var referenced = Directory.EnumerateFiles(LabSource, "*.cs")
            .SelectMany(file => SharedPathLiteral().Matches(File.ReadAllText(file)).Select(match => match.Groups["path"].Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(SharedLabFiles.All.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SharedLabFiles_All_ExistInTheRepository() =>
        Assert.All(SharedLabFiles.All, path => Assert.True(File.Exists(Path.Combine(ToolPaths.RepoRoot, path)) || Directory.Exists(Path.Combine(ToolPaths.RepoRoot, path)), path + " is missing"));

    [Fact]
    public void LabSources_VmLabOnlyFiles_NotReferenced()
    {
        var text = string.Concat(Directory.EnumerateFiles(LabSource, "*.cs").Select(File.ReadAllText));

        Assert.All(SharedLabFiles.VmLabOnly, path => Assert.DoesNotContain(path, text, StringComparison.Ordinal));
    }

    [GeneratedRegex("\"(?<path>(?:consul|nginx-templates)/[A-Za-z0-9_./-]+)\"")]
    private static partial Regex SharedPathLiteral();
}
