using Discovery.Testing.Tools;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>Where the VM lab's files are, found from the repository root.</summary>
internal static class VmLabFiles
{
    public static string Root => ToolPaths.RepoRoot;

    public static string Vagrantfile => Path.Combine(Root, "Vagrantfile");

    public static string VagrantFolder => Path.Combine(Root, "vagrant");

    /// <summary>Every file under vagrant/, repo-relative with '/' separators.</summary>
    public static IReadOnlyList<string> AllVagrantFiles() =>
        Directory.EnumerateFiles(VagrantFolder, "*", SearchOption.AllDirectories)
            .Select(RepoRelative)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The VM lab's scripts outside vagrant/: the check command and the mirror lookup it shares.</summary>
    public static readonly string[] HostScripts = ["scripts/vm-lab-check", "scripts/debian-mirror"];

    /// <summary>
    /// Shell scripts of the VM lab: under vagrant/ (*.sh, or anything starting with a bash/sh
    /// shebang) and <see cref="HostScripts"/>.
    /// </summary>
    public static IReadOnlyList<string> ShellScripts() =>
        AllVagrantFiles().Where(IsShellScript).Concat(HostScripts).ToList();

    public static string FullPath(string repoRelative) =>
        Path.Combine(Root, repoRelative.Replace('/', Path.DirectorySeparatorChar));

    public static string RepoRelative(string fullPath) =>
        Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    public static TheoryData<string> AsTheoryData(IEnumerable<string> values)
    {
        var data = new TheoryData<string>();
        foreach (var value in values)
        {
            data.Add(value);
        }

        return data;
    }

    private static bool IsShellScript(string repoRelative)
    {
        if (repoRelative.EndsWith(".sh", StringComparison.Ordinal))
        {
            return true;
        }

        using var reader = new StreamReader(FullPath(repoRelative));
        var firstLine = reader.ReadLine() ?? "";
        return firstLine.StartsWith("#!", StringComparison.Ordinal)
            && (firstLine.Contains("bash", StringComparison.Ordinal) || firstLine.EndsWith("/sh", StringComparison.Ordinal));
    }
}
