using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Discovery.Consul;
using Discovery.Consul.Watching;

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
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        var keyPrefix = prefix.Trim('/') + "/";
        var watches = new[]
        {
            PumpAsync(
                BlockingWatch.WatchAsync((options, ct) => client.KV.ListAsync(keyPrefix, options, ct), null, null, (error, _) => onError?.Invoke(error), time, stop.Token)
                    .Select(result => result.Value)
                    .WhereChanged(KVPairComparer.Listing, cancellationToken: stop.Token),
                changed.Writer),
            PumpAsync(
                BlockingWatch.WatchAsync((options, ct) => client.Health.StateAsync("any", options, ct), null, null, (error, _) => onError?.Invoke(error), time, stop.Token)
                    .Select(result => (IReadOnlyList<(string, string, string)>)[.. result.Value.Select(check => (check.Node, check.CheckID, check.Status))])
                    .WhereChanged(SequenceComparer<(string, string, string)>.Default, cancellationToken: stop.Token),
                changed.Writer),
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
                catch (Exception exception) when (exception is ConsulUnavailableException or ConsulApiException)
                {
                    onError?.Invoke(exception);
                }

                if (status is not null)
                {
                    yield return status;
                }

                using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                tick.CancelAfter(maxAge);
                try
                {
                    await changed.Reader.ReadAsync(tick.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // maxAge passed without a change: refresh anyway.
                }
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(watches).ConfigureAwait(false);
        }
    }

    private static async Task PumpAsync<T>(IAsyncEnumerable<T> watch, ChannelWriter<bool> changed)
    {
        try
        {
            await foreach (var _ in watch.ConfigureAwait(false))
            {
                changed.TryWrite(true);
            }
        }
        catch (OperationCanceledException)
        {
            // The watcher is done.
        }
    }
}
