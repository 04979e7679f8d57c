using Discovery.Core.Processes;
namespace Discovery.Bench.IdleLab;

/// <summary>
/// One row of the idle-lab table: a lab process (with its children when <see cref="WithChildren"/>,
/// e.g. nginx's workers) or a group of processes (the app instances under the node agents). CPU is
/// summed over every pid seen, from the first sample that saw it to the last; RSS is the sum over
/// the pids alive at a sample, averaged and maximised over the samples.
/// </summary>
internal sealed class MeasuredProcess(string name, string kind, Func<IReadOnlyList<int>> pids, string? logFile)
{
    private readonly Dictionary<int, (TimeSpan First, TimeSpan Last)> _cpu = [];
    private readonly List<long> _rss = [];
    private long _logLinesAtStart;
    private long _logLinesAtEnd;

    public string Name { get; set; } = name;

    /// <summary>"discovery", "consul", "nginx" or "app": the targets apply to "discovery" rows.</summary>
    public string Kind { get; } = kind;

    public bool WithChildren { get; init; }

    public int PidCount => _cpu.Count;

    public TimeSpan CpuTime => _cpu.Values.Aggregate(TimeSpan.Zero, (sum, cpu) => sum + (cpu.Last - cpu.First));

    public double MeanRssMiB => _rss.Count == 0 ? 0 : _rss.Average() / 1048576.0;

    public double MaxRssMiB => _rss.Count == 0 ? 0 : _rss.Max() / 1048576.0;

    public long LogLines => _logLinesAtEnd - _logLinesAtStart;

    public bool HasLog => logFile is not null;

    public void Sample()
    {
        long rss = 0;
        foreach (var pid in pids())
        {
            if (ProcStat.CpuTime(pid) is { } cpu)
            {
                _cpu[pid] = _cpu.TryGetValue(pid, out var seen) ? (seen.First, cpu) : (cpu, cpu);
            }

            rss += ProcStat.ResidentBytes(pid) ?? 0;
        }

        _rss.Add(rss);
    }

    public void MarkLogStart() => _logLinesAtStart = CountLines();

    public void MarkLogEnd() => _logLinesAtEnd = CountLines();

    private long CountLines()
    {
        if (logFile is null || !File.Exists(logFile))
        {
            return 0;
        }

        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
        }

        return lines;
    }
}
