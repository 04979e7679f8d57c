using System.Globalization;

namespace Discovery.Core.Processes;

/// <summary>
/// What the kernel says a process costs: CPU time (utime + stime, fields 14 and 15 of
/// /proc/&lt;pid&gt;/stat), resident memory (/proc/&lt;pid&gt;/statm), and its children (field 4,
/// the parent pid). Read from outside, the way `top` does, so the numbers include everything the
/// runtime does, not what the process reports about itself.
/// </summary>
internal static class ProcStat
{
    // USER_HZ: /proc reports CPU times in clock ticks of 1/100 s on Linux.
    private const double TicksPerSecond = 100;
    private const int ParentIndex = 1;      // field 4
    private const int UserTimeIndex = 11;   // field 14
    private const int SystemTimeIndex = 12; // field 15

    /// <summary>User + system CPU time of a running process; null when it is gone.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        if (Fields(pid) is not { Length: > SystemTimeIndex } fields
            || !ulong.TryParse(fields[UserTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
            || !ulong.TryParse(fields[SystemTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
        {
            return null;
        }

        return TimeSpan.FromSeconds((user + system) / TicksPerSecond);
    }

    /// <summary>Resident set size in bytes (second field of statm, in pages); null when the process is gone.</summary>
    public static long? ResidentBytes(int pid)
    {
        try
        {
            var statm = File.ReadAllText($"/proc/{pid}/statm").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return statm.Length > 1 && long.TryParse(statm[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages)
                ? pages * Environment.SystemPageSize
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Pids whose parent is <paramref name="pid"/> (nginx workers, app instances).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var candidate)
                && Fields(candidate) is { Length: > ParentIndex } fields
                && fields[ParentIndex] == pid.ToString(CultureInfo.InvariantCulture))
            {
                children.Add(candidate);
            }
        }

        return children;
    }

    private static string[]? Fields(int pid)
    {
        try
        {
            return ProcessIdentity.FieldsAfterCommand(File.ReadAllText($"/proc/{pid}/stat"));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
