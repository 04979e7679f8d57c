using System.Threading.Channels;
using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Timing;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// Wakes a leader early, for one term: eligible node agents changed (re-place at once) or an
/// operator changed hold, autoscale, policy or asked for a deploy (evaluate now, so `agent scale --to N` acts in about
/// a second, not at the next interval). Blocking watches feed one channel; disposing ends them.
/// Only changed data wakes it (<see cref="DataChanges"/>): hold and autoscale usually do not
/// exist, and a blocking read of a missing key returns on every KV write anywhere — waking on
/// those, evaluating and writing state was issue 19's feedback loop.
/// </summary>
internal sealed partial class LeaderWakes : IAsyncDisposable
{
    private readonly Channel<LeaderWake> _wakes = Channel.CreateUnbounded<LeaderWake>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Task _watches;

    public LeaderWakes(ConsulClient consul, ScalerKeys keys, AppScalerOptions options, TimeProvider time, ILogger logger, CancellationToken termToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(termToken);
        _time = time;
        _logger = logger;
        _watches = Task.WhenAll(
            WatchNodesAsync(consul, keys.App, options.NodeWatch, _stop.Token),
            WatchOperatorKeyAsync(consul, keys.App, keys.Hold, options.OperatorKeyWatch, _stop.Token),
            WatchOperatorKeyAsync(consul, keys.App, keys.Autoscale, options.OperatorKeyWatch, _stop.Token),
            WatchOperatorKeyAsync(consul, keys.App, keys.Policy, options.OperatorKeyWatch, _stop.Token),
            WatchOperatorKeyAsync(consul, keys.App, keys.DeployRequest, options.OperatorKeyWatch, _stop.Token));
    }

    /// <summary>The next wake, or null when <paramref name="timeout"/> passed first (the evaluation is due).</summary>
    public async Task<LeaderWake?> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reader = _wakes.Reader;
        if (!reader.TryRead(out var wake)
            && await TimedWait.UntilAsync(async ct => await reader.WaitToReadAsync(ct).ConfigureAwait(false), timeout, _time, cancellationToken).ConfigureAwait(false))
        {
            reader.TryRead(out wake);
        }

        return wake;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _watches.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the watches end with the term
        }

        _stop.Dispose();
    }

    /// <summary>Wakes the leader when the set of eligible nodes changes (not when the catalog's index merely moves).</summary>
    private async Task WatchNodesAsync(ConsulClient consul, string app, WatchOptions options, CancellationToken cancellationToken)
    {
        var nodes = BlockingWatch.WatchAsync(
                (query, ct) => consul.Health.ServiceAsync(EligibleNodes.NodeAgentService, passingOnly: true, options: query, cancellationToken: ct),
                options: options,
                onError: (error, delay) => LogWatchFailed(app, EligibleNodes.NodeAgentService, delay, error.Message),
                time: _time,
                cancellationToken: cancellationToken)
            .Select(result => EligibleNodes.For(app, result.Value))
            .WhereChanged(SequenceComparer<string>.Default, _ => LogWokeUnchanged(app, EligibleNodes.NodeAgentService), cancellationToken);
        await foreach (var eligible in nodes.ConfigureAwait(false))
        {
            _wakes.Writer.TryWrite(new LeaderWake(eligible, null));
        }
    }

    /// <summary>Wakes the leader when an operator key's content changes (the first read is the state the term started from).</summary>
    private async Task WatchOperatorKeyAsync(ConsulClient consul, string app, string key, WatchOptions options, CancellationToken cancellationToken)
    {
        var changes = BlockingWatch.WatchAsync(
                (query, ct) => consul.KV.GetAsync(key, query, ct),
                options: options,
                onError: (error, delay) => LogWatchFailed(app, key, delay, error.Message),
                time: _time,
                cancellationToken: cancellationToken)
            .Select(result => result.Value)
            .WhereChanged(KVPairComparer.Content, _ => LogWokeUnchanged(app, key), cancellationToken);
        var first = true;
        await foreach (var _ in changes.ConfigureAwait(false))
        {
            if (!first)
            {
                _wakes.Writer.TryWrite(new LeaderWake(null, key));
            }

            first = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{App}: {What} woke the watch without a change")]
    private partial void LogWokeUnchanged(string app, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: watch of {What} failed, retrying in {Delay}: {Error}")]
    private partial void LogWatchFailed(string app, string what, TimeSpan delay, string error);
}
