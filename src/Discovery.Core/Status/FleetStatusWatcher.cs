using System.Runtime.CompilerServices;
using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.Timing;

namespace Discovery.Core.Status;

/// <summary>
/// Yields a fresh <see cref="FleetStatus"/> whenever anything it shows changes: two blocking watches
/// (BlockingWatch), one on the KV tree under the prefix and one on every health check, wake the
/// reader when their data changed (<see cref="DataChanges"/>: an empty prefix's index moves with
/// every KV write anywhere); <paramref name="maxAge"/> bounds the time between snapshots so instance
/// ages keep moving.
/// </summary>
internal sealed class FleetStatusWatcher(ConsulClient client, FleetStatusReader reader, TimeProvider time)
{
    public async IAsyncEnumerable<FleetStatus> WatchAsync(string prefix, string? onlyApp, TimeSpan maxAge, Action<Exception>? onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changed = new WakeSignal(time);
        var keyPrefix = prefix.Trim('/') + "/";
        var watches = new[]
        {
            PumpAsync(
                BlockingWatch.WatchAsync((options, ct) => client.KV.ListAsync(keyPrefix, options, ct), null, null, (error, _) => onError?.Invoke(error), time, stop.Token)
                    .Select(result => result.Value)
                    .WhereChanged(KVPairComparer.Listing, cancellationToken: stop.Token),
                changed),
            PumpAsync(
                BlockingWatch.WatchAsync((options, ct) => client.Health.StateAsync("any", options, ct), null, null, (error, _) => onError?.Invoke(error), time, stop.Token)
                    .Select(result => (IReadOnlyList<(string, string, string)>)[.. result.Value.Select(check => (check.Node, check.CheckID, check.Status))])
                    .WhereChanged(SequenceComparer<(string, string, string)>.Default, cancellationToken: stop.Token),
                changed),
        };
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                FleetStatus? status = null;
                try
                {
                    status = await reader.ReadAsync(onlyApp, cancellationToken).ConfigureAwait(false);
                }
                catch (ConsulException exception)
                {
                    onError?.Invoke(exception);
                }

                if (status is not null)
                {
                    yield return status;
                }

                await changed.WaitAsync(maxAge, cancellationToken).ConfigureAwait(false); // a change, or maxAge passed: refresh either way
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watches).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync<T>(IAsyncEnumerable<T> watch, WakeSignal changed)
    {
        try
        {
            await foreach (var _ in watch.ConfigureAwait(false))
            {
                changed.Set();
            }
        }
        catch (OperationCanceledException)
        {
            // The watcher is done.
        }
    }
}
