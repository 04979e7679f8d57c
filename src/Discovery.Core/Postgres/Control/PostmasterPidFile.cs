using System.Globalization;
using Discovery.Core.Processes;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// The postmaster a data directory's <c>postmaster.pid</c> names, when it still runs. The file holds a
/// pid only, so it is believed only while that pid is a postgres process (a stale file after a
/// crash may name a pid the kernel has given to someone else).
/// </summary>
internal static class PostmasterPidFile
{
    public const string FileName = "postmaster.pid";

    /// <summary>The running postmaster of <paramref name="dataDir"/> and whether it leads its own process group (started through setsid, as the node agent does).</summary>
    public static (ProcessIdentity Identity, bool LeadsGroup)? FindRunning(string dataDir)
    {
        if (ReadPid(dataDir) is not { } pid || ProcessIdentity.TryRead(pid) is not { } identity)
        {
            return null;
        }

        string commandLine;
        try
        {
            commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return commandLine.Contains("postgres", StringComparison.Ordinal)
            ? (identity, ProcessIdentity.TryReadProcessGroup(pid) == pid)
            : null;
    }

    private static int? ReadPid(string dataDir)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDir, FileName)).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 1 ? pid : null;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
