using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// consul-template's quiescence, per template: after a data change a template is due once nothing
/// changed for its <c>wait.min</c>, or <c>wait.max</c> after the first change it has not applied
/// yet. So a peer set (a push costs a millisecond) can follow changes within tens of milliseconds
/// while the nginx structure (a reload) still waits for a burst to settle. A template with a
/// refresh interval is also due that long after it was last applied, change or not.
/// </summary>
internal sealed class TemplateQuiescence
{
    private readonly IReadOnlyList<QuiescenceWait> _waits;
    private readonly IReadOnlyList<TimeSpan?> _refresh;
    private readonly TimeProvider _time;
    private readonly long?[] _firstChange;
    private readonly long[] _lastApplied;
    private readonly bool[] _now;
    private long _lastChange;

    /// <summary>Every template starts due (the first render applies everything).</summary>
    public TemplateQuiescence(IReadOnlyList<QuiescenceWait> waits, IReadOnlyList<TimeSpan?> refresh, TimeProvider time)
    {
        _waits = waits;
        _refresh = refresh;
        _time = time;
        var now = time.GetTimestamp();
        _firstChange = [.. waits.Select(_ => (long?)now)];
        _lastApplied = new long[waits.Count];
        _now = new bool[waits.Count];
        _lastChange = now - (long)(TimeSpan.FromDays(1).TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>The data changed now: every template has something new to apply.</summary>
    public void Changed()
    {
        var now = _time.GetTimestamp();
        _lastChange = now;
        for (var i = 0; i < _firstChange.Length; i++)
        {
            _firstChange[i] ??= now;
        }
    }

    /// <summary>Due at once, whatever its wait (something outside the data changed what it feeds).</summary>
    public void DueNow(int job) => _now[job] = true;

    public bool IsDue(int job)
    {
        if (_now[job])
        {
            return true;
        }

        if (_firstChange[job] is { } first)
        {
            var wait = _waits[job];
            return _time.GetElapsedTime(_lastChange) >= wait.Min || _time.GetElapsedTime(first) >= wait.Max;
        }

        return _refresh[job] is { } refresh && _time.GetElapsedTime(_lastApplied[job]) >= refresh;
    }

    /// <summary>The template was rendered and applied (or failed, and waits for the next change).</summary>
    public void Applied(int job)
    {
        _now[job] = false;
        _firstChange[job] = null;
        _lastApplied[job] = _time.GetTimestamp();
    }

    /// <summary>How long until the next template is due; null when none is waiting for anything.</summary>
    public TimeSpan? NextDue()
    {
        TimeSpan? next = null;
        for (var job = 0; job < _waits.Count; job++)
        {
            TimeSpan? left = null;
            if (_now[job])
            {
                left = TimeSpan.Zero;
            }
            else if (_firstChange[job] is { } first)
            {
                var wait = _waits[job];
                var quiet = wait.Min - _time.GetElapsedTime(_lastChange);
                var cap = wait.Max - _time.GetElapsedTime(first);
                left = quiet < cap ? quiet : cap;
            }
            else if (_refresh[job] is { } refresh)
            {
                left = refresh - _time.GetElapsedTime(_lastApplied[job]);
            }

            if (left is { } value)
            {
                value = value < TimeSpan.Zero ? TimeSpan.Zero : value;
                next = next is null || value < next ? value : next;
            }
        }

        return next;
    }
}
