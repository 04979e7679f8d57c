namespace Discovery.Testing.Tools;

/// <summary>
/// Finds the real binaries the tests drive. Tests never fall back to fakes: a missing tool fails
/// with one line that names the set-up command.
/// </summary>
public static class ToolPaths
{
    private const string SetupHint = "run scripts/setup (or the README's test command) first";

    /// <summary>The repository root: the first parent folder that holds Discovery.sln.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The Consul binary: $DISCOVERY_CONSUL, then .tools/bin/consul, then PATH.</summary>
    public static string Consul => Resolve("DISCOVERY_CONSUL", Path.Combine(RepoRoot, ".tools", "bin", "consul"), "consul");

    /// <summary>The nginx binary: $DISCOVERY_NGINX, then /usr/sbin/nginx, then PATH.</summary>
    public static string Nginx => Resolve("DISCOVERY_NGINX", "/usr/sbin/nginx", "nginx");

    /// <summary>wrk (Debian's 4.1, installed by scripts/setup): $DISCOVERY_WRK, then /usr/bin/wrk, then PATH.</summary>
    public static string Wrk => Resolve("DISCOVERY_WRK", "/usr/bin/wrk", "wrk");

    private static string Resolve(string environmentVariable, string preferred, string name)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(environmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return File.Exists(fromEnvironment)
                ? fromEnvironment
                : throw new InvalidOperationException($"{environmentVariable}={fromEnvironment} does not exist; {SetupHint}");
        }

        if (File.Exists(preferred))
        {
            return preferred;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException($"{name} not found (looked at {preferred} and PATH); {SetupHint}");
    }

    private static string FindRepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Discovery.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"Discovery.sln not found above {AppContext.BaseDirectory}");
    }
}
