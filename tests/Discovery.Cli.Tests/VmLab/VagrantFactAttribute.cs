namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// A fact that needs the `vagrant` CLI. Without it on PATH the test is reported as SKIPPED with
/// the reason (never as a pass): scripts/setup does not install Vagrant, it is optional here.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VagrantFactAttribute : FactAttribute
{
    public VagrantFactAttribute()
    {
        if (VagrantPath is null)
        {
            Skip = "vagrant is not on PATH, so `vagrant validate` cannot run (Debian: apt-get install vagrant)";
        }
    }

    /// <summary>The vagrant executable on PATH, or null.</summary>
    public static string? VagrantPath { get; } =
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "vagrant"))
            .FirstOrDefault(File.Exists);
}
