using System.Globalization;

namespace Discovery.Core.Processes;

/// <summary>
/// A process as the kernel knows it: pid plus start time (clock ticks after boot, field 22 of
/// /proc/&lt;pid&gt;/stat). The pair is unique for the life of the machine, so a pid that was recycled
/// for an unrelated process after ours died is never mistaken for our instance.
/// </summary>
public readonly record struct ProcessIdentity(int Pid, ulong StartTime)
{
    /// <summary>
    /// Reads the identity of a pid; null when there is no such process, or when it is a zombie
    /// (dead, not yet reaped) unless <paramref name="includeZombies"/>.
    /// </summary>
    public static ProcessIdentity? TryRead(int pid, bool includeZombies = false)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return TryParseStat(pid, stat, includeZombies);
    }

    /// <summary>Parses a /proc/&lt;pid&gt;/stat line; split out so the parsing is testable on fixed text.</summary>
    public static ProcessIdentity? TryParseStat(int pid, string stat, bool includeZombies = false)
    {
        if (FieldsAfterCommand(stat) is not { } fields)
        {
            return null;
        }

        const int StateIndex = 0;       // field 3
        const int StartTimeIndex = 19;  // field 22
        if (fields.Length <= StartTimeIndex || (!includeZombies && fields[StateIndex] is "Z" or "X" or "x"))
        {
            return null;
        }

        return ulong.TryParse(fields[StartTimeIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var startTime)
            ? new ProcessIdentity(pid, startTime)
            : null;
    }

    /// <summary>The process group of a pid (field 5 of /proc/&lt;pid&gt;/stat), or null when it cannot be read.</summary>
    public static int? TryReadProcessGroup(int pid)
    {
        try
        {
            const int GroupIndex = 2; // field 5
            return FieldsAfterCommand(File.ReadAllText($"/proc/{pid}/stat")) is { Length: > GroupIndex } fields
                && int.TryParse(fields[GroupIndex], NumberStyles.None, CultureInfo.InvariantCulture, out var group) ? group : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Fields 3 onwards of a stat line. The command name (field 2) is in parentheses and may itself
    /// contain spaces and ')', so fields are counted from the last ')'. Internal for the idle-lab
    /// benchmark, which reads CPU times (fields 14, 15) and parent pids (field 4) with it.
    /// </summary>
    internal static string[]? FieldsAfterCommand(string stat)
    {
        var close = stat.LastIndexOf(')');
        return close < 0 ? null : stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Wall-clock start of the process: boot time (btime in /proc/stat) plus the start time in
    /// clock ticks (USER_HZ, 100 on Linux). Stable across agent restarts and re-registrations,
    /// unlike "when the agent last saw it"; null when /proc/stat cannot be read.
    /// </summary>
    public DateTimeOffset? StartedAt() => BootTime.Value is { } boot ? boot + TimeSpan.FromSeconds(StartTime / (double)ClockTicksPerSecond) : null;

    private const int ClockTicksPerSecond = 100;

    private static readonly Lazy<DateTimeOffset?> BootTime = new(() =>
    {
        try
        {
            var line = File.ReadLines("/proc/stat").FirstOrDefault(l => l.StartsWith("btime ", StringComparison.Ordinal));
            return line is not null && long.TryParse(line["btime ".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    });

    /// <summary>True when this exact process (same pid, same start time) is still running.</summary>
    public bool IsRunning() => TryRead(Pid) == this;
}
