using Discovery.Core.Processes;

namespace Discovery.Core.Observability;

/// <summary>
/// CPU % and RSS of processes by pid, from /proc (<see cref="ProcStat"/>), measured between two
/// samples: each call compares a process's CPU time with the previous call's, so whoever scrapes
/// gets the average since the last scrape (the first sample of a process averages since its start).
/// </summary>
internal sealed class ProcessResourceSampler(TimeProvider time)
{
    private readonly Dictionary<ProcessIdentity, (TimeSpan Cpu, DateTimeOffset At)> _previous = [];
    private readonly Lock _lock = new();

    /// <summary>CPU % of one core and resident bytes of <paramref name="process"/>; null when it is gone.</summary>
    public (double CpuPercent, long RssBytes)? Sample(ProcessIdentity process)
    {
        if (ProcStat.CpuTime(process.Pid) is not { } cpu || ProcStat.ResidentBytes(process.Pid) is not { } rss)
        {
            return null;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            var (previousCpu, previousAt) = _previous.TryGetValue(process, out var previous)
                ? previous
                : (TimeSpan.Zero, process.StartedAt() ?? now);
            _previous[process] = (cpu, now);
            var elapsed = (now - previousAt).TotalSeconds;
            var percent = elapsed > 0 ? Math.Max(0, (cpu - previousCpu).TotalSeconds / elapsed * 100) : 0;
            return (percent, rss);
        }
    }

    /// <summary>Forgets processes not in <paramref name="alive"/> (so the map stays as small as the node).</summary>
    public void Retain(IReadOnlySet<ProcessIdentity> alive)
    {
        lock (_lock)
        {
            foreach (var gone in _previous.Keys.Where(process => !alive.Contains(process)).ToList())
            {
                _previous.Remove(gone);
            }
        }
    }
}
