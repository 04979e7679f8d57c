namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// Says which dependencies have been missing for longer than <see cref="Delay"/>, once each, so
/// a template that waits for a key nobody wrote is named at information level rather than
/// blocking in silence (consul-template logs it only at debug). A dependency that gets data and
/// goes missing again is reported again.
/// </summary>
internal sealed class MissingDataReporter(TimeSpan delay, TimeProvider time)
{
    /// <summary>Long enough for a normal start (every watch answers in well under a second), short enough to be noticed.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(3);

    private readonly Dictionary<string, (long Since, bool Reported)> _missing = new(StringComparer.Ordinal);

    public TimeSpan Delay { get; } = delay;

    /// <summary>Takes what is missing now; returns what has been missing past the delay and was not reported yet.</summary>
    public IReadOnlyList<(string Dependency, TimeSpan For)> Observe(IEnumerable<string> missingNow)
    {
        var now = time.GetTimestamp();
        var current = new HashSet<string>(missingNow, StringComparer.Ordinal);
        foreach (var gone in _missing.Keys.Where(key => !current.Contains(key)).ToList())
        {
            _missing.Remove(gone);
        }

        var due = new List<(string, TimeSpan)>();
        foreach (var dependency in current.Order(StringComparer.Ordinal))
        {
            if (!_missing.TryGetValue(dependency, out var state))
            {
                _missing[dependency] = (now, false);
                continue;
            }

            var missingFor = time.GetElapsedTime(state.Since, now);
            if (!state.Reported && missingFor >= Delay)
            {
                _missing[dependency] = (state.Since, true);
                due.Add((dependency, missingFor));
            }
        }

        return due;
    }

    /// <summary>How long until the next unreported dependency is due; null when none is waiting.</summary>
    public TimeSpan? NextDue()
    {
        TimeSpan? next = null;
        foreach (var (_, (since, reported)) in _missing)
        {
            if (!reported)
            {
                var left = Delay - time.GetElapsedTime(since);
                left = left < TimeSpan.Zero ? TimeSpan.Zero : left;
                next = next is null || left < next ? left : next;
            }
        }

        return next;
    }
}
