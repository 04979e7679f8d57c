using System.Threading.Channels;

namespace Discovery.Core.Timing;

/// <summary>
/// Wakes one waiting loop early ("something changed, look again"). Signals coalesce: any number of
/// <see cref="Set"/> calls before a wait make it return once, because the loop re-reads the whole
/// state anyway. Waits time out through <see cref="TimedWait"/> on the given clock.
/// </summary>
public sealed class WakeSignal(TimeProvider time)
{
    private readonly Channel<bool> _pending = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the loop to run now; a no-op when a wake-up is already pending.</summary>
    public void Set() => _pending.Writer.TryWrite(true);

    /// <summary>True when <see cref="Set"/> was called since the last wait (or during this one), false when <paramref name="timeout"/> passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _pending.Reader.TryRead(out _)
            ? Task.FromResult(true)
            : TimedWait.UntilAsync(async token => await _pending.Reader.ReadAsync(token).ConfigureAwait(false), timeout, time, cancellationToken);
}
