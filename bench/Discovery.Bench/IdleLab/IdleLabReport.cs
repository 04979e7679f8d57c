using System.Globalization;

namespace Discovery.Bench.IdleLab;

/// <summary>The idle-lab table, the write figures, the targets of issue 19 and the one-line summary.</summary>
internal sealed class IdleLabReport(
    TimeSpan elapsed,
    IReadOnlyList<MeasuredProcess> rows,
    (int Kv, int Catalog, int Total) writes,
    IReadOnlyList<(string Key, int Writes)> keyWrites,
    ulong raftIndexGrowth)
{
    // Targets on the project's 2-core machine (issue 19).
    private const double MaxWritesPerMinute = 6;
    private const double MaxDaemonCpuPercent = 0.5;
    private const double MaxDaemonRssMiB = 50;
    private const double MaxLeaderToFollowerCpu = 2;
    private const double MaxDaemonLogLinesPerMinute = 3;

    private double Minutes => elapsed.TotalMinutes;

    public void Print(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"process",-34} {"pids",4} {"CPU % of a core",15} {"RSS MiB mean",12} {"RSS MiB max",11} {"log lines/min",13}");
        foreach (var row in rows)
        {
            output.WriteLine(Invariant($"{row.Name,-34} {row.PidCount,4} {CpuPercent(row),15:0.00} {row.MeanRssMiB,12:0.0} {row.MaxRssMiB,11:0.0} {(row.HasLog ? (row.LogLines / Minutes).ToString("0.0", CultureInfo.InvariantCulture) : "-"),13}"));
        }

        output.WriteLine();
        output.WriteLine(Invariant($"Consul writes in {elapsed.TotalSeconds:0} s: KV {writes.Kv} ({writes.Kv / Minutes:0.0}/min), catalog {writes.Catalog} ({writes.Catalog / Minutes:0.0}/min), KV + catalog {writes.Total} ({writes.Total / Minutes:0.0}/min)"));
        output.WriteLine(Invariant($"Raft log index +{raftIndexGrowth} ({raftIndexGrowth / Minutes:0.0}/min; every commit, Consul's own coordinate updates included)"));
        foreach (var (key, count) in keyWrites.Take(8))
        {
            output.WriteLine(Invariant($"  written: {key} x{count}"));
        }

        var misses = Misses();
        output.WriteLine(misses.Count == 0 ? "targets: all met" : "targets missed: " + string.Join("; ", misses));
        output.WriteLine(Summary(misses));
    }

    private List<string> Misses()
    {
        var misses = new List<string>();
        if (writes.Total / Minutes > MaxWritesPerMinute)
        {
            misses.Add(Invariant($"KV + catalog writes {writes.Total / Minutes:0.0}/min > {MaxWritesPerMinute}"));
        }

        foreach (var daemon in Daemons)
        {
            if (CpuPercent(daemon) > MaxDaemonCpuPercent)
            {
                misses.Add(Invariant($"{daemon.Name} CPU {CpuPercent(daemon):0.00} % > {MaxDaemonCpuPercent}"));
            }

            if (daemon.MaxRssMiB > MaxDaemonRssMiB)
            {
                misses.Add(Invariant($"{daemon.Name} RSS {daemon.MaxRssMiB:0} MiB > {MaxDaemonRssMiB}"));
            }

            if (daemon.LogLines / Minutes > MaxDaemonLogLinesPerMinute)
            {
                misses.Add(Invariant($"{daemon.Name} logs {daemon.LogLines / Minutes:0.0} lines/min > {MaxDaemonLogLinesPerMinute}"));
            }
        }

        if (Leader is { } leader && Follower is { } follower && CpuPercent(leader) > MaxLeaderToFollowerCpu * Math.Max(CpuPercent(follower), 0.01))
        {
            misses.Add(Invariant($"leading scaler CPU {CpuPercent(leader):0.00} % > {MaxLeaderToFollowerCpu}x the follower's {CpuPercent(follower):0.00} %"));
        }

        return misses;
    }

    private string Summary(List<string> misses)
    {
        var daemons = Daemons.ToList();
        var cpu = daemons.Max(CpuPercent);
        var rss = daemons.Max(daemon => daemon.MaxRssMiB);
        var logs = daemons.Max(daemon => daemon.LogLines) / Minutes;
        var scalers = Leader is { } leader && Follower is { } follower
            ? Invariant($" (leading scaler {CpuPercent(leader):0.00} %, follower {CpuPercent(follower):0.00} %)")
            : "";
        return Invariant($"idle-lab: {elapsed.TotalSeconds:0} s idle: KV + catalog writes {writes.Total / Minutes:0.0}/min; Discovery daemons CPU max {cpu:0.00} % of a core{scalers}, RSS max {rss:0} MiB, log lines max {logs:0.0}/min; {(misses.Count == 0 ? "targets met" : $"{misses.Count} targets missed")}");
    }

    private IEnumerable<MeasuredProcess> Daemons => rows.Where(row => row.Kind == "discovery");

    private MeasuredProcess? Leader => Daemons.FirstOrDefault(row => row.Name.EndsWith("(leader)", StringComparison.Ordinal));

    private MeasuredProcess? Follower => Daemons.FirstOrDefault(row => row.Name.StartsWith("agent-scaler-", StringComparison.Ordinal) && row != Leader);

    private double CpuPercent(MeasuredProcess row) => 100 * row.CpuTime.TotalSeconds / elapsed.TotalSeconds;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
