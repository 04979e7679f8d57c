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

    /// <summary>Shell scripts under vagrant/: *.sh, or anything starting with a bash/sh shebang.</summary>
    public static IReadOnlyList<string> ShellScripts() =>
        AllVagrantFiles().Where(IsShellScript).ToList();

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
