using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Rendering.Hosting;

/// <summary>
/// consul-template's quiescence for one render loop: after a change, wait until nothing changed
/// for <c>wait.min</c>, but no longer than <c>wait.max</c> since the first change, so a burst of
/// catalog changes becomes one render. Optionally wakes after a fixed time without any change (a
/// retry, or a periodic check).
/// </summary>
internal sealed class QuiescenceWaiter
{
    private readonly ConsulTemplateDataSource _data;
    private readonly QuiescenceWait _wait;
    private readonly TimeProvider _time;

    public QuiescenceWaiter(ConsulTemplateDataSource data, QuiescenceWait wait, TimeProvider time)
    {
        _data = data;
        _wait = wait;
        _time = time;
    }

    /// <summary>
    /// Waits for a change after <paramref name="version"/> and then for quiescence. With
    /// <paramref name="wakeAfter"/>, returns false when that time passed without a change; true
    /// when the data changed.
    /// </summary>
    public async Task<bool> WaitForNextRenderAsync(long version, TimeSpan? wakeAfter, CancellationToken cancellationToken)
    {
        if (wakeAfter is { } timeout)
        {
            if (!await WaitForChangeAsync(version, timeout, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
        else
        {
            await _data.WaitForChangeAsync(version, cancellationToken).ConfigureAwait(false);
        }

        var firstChange = _time.GetTimestamp();
        while (_wait.Min > TimeSpan.Zero)
        {
            var left = _wait.Max - _time.GetElapsedTime(firstChange);
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            if (!await WaitForChangeAsync(_data.Version, left < _wait.Min ? left : _wait.Min, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        return true;
    }

    /// <summary>True when the data changed after <paramref name="version"/> within <paramref name="timeout"/>.</summary>
    private async Task<bool> WaitForChangeAsync(long version, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var change = _data.WaitForChangeAsync(version, stop.Token);
        var delay = Task.Delay(timeout, _time, stop.Token);
        var first = await Task.WhenAny(change, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        return first == change && change.IsCompletedSuccessfully;
    }
}
