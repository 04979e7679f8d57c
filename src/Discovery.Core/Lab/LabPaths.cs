namespace Discovery.Core.Lab;

/// <summary>
/// Where the local lab keeps its state: &lt;repo&gt;/.lab/local (git-ignored), found by walking up from
/// the working directory to the folder holding Discovery.sln. DISCOVERY_LAB_DIR overrides it.
/// </summary>
internal static class LabPaths
{
    public static string DefaultStateDirectory()
    {
        if (Environment.GetEnvironmentVariable("DISCOVERY_LAB_DIR") is { Length: > 0 } overridden)
        {
            return Path.GetFullPath(overridden);
        }

        return Path.Combine(FindRepoRoot() ?? Environment.CurrentDirectory, ".lab", "local");
    }

    /// <summary>The repository root (folder with Discovery.sln) above the working directory or this assembly; null outside a checkout.</summary>
    public static string? FindRepoRoot()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Discovery.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
