using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Deploying;

/// <summary>
/// <c>agent deploy</c>: writes the operator's request to <c>apps/&lt;app&gt;/deploy-request</c>
/// (validated first; bad input exits 2 and writes nothing) and optionally follows the leader's
/// answer — the history entries of kind "deploy" as progress, the deploy state for the end. Not
/// fenced: the operator only asks; the app's scaler leader decides and writes.
/// </summary>
internal sealed class DeployOperation(ConsulClient consul, string prefix, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Validates and writes the request; returns its ModifyIndex (which the state echoes once handled).</summary>
    public async Task<(OperationResult Result, ulong Index)> RequestAsync(string app, DeployRequest request, CancellationToken cancellationToken)
    {
        var text = DeployRequestJson.Write(request);
        if (DeployRequestJson.ReadRequest(text, out var error) is null)
        {
            return (OperationResult.Invalid($"deploy {app}: {error}"), 0);
        }

        var keys = new ScalerKeys(prefix, app);
        await consul.KV.PutStringAsync(keys.DeployRequest, text, cancellationToken: cancellationToken).ConfigureAwait(false);
        var written = (await consul.KV.GetAsync(keys.DeployRequest, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var what = request.Action == DeployRequest.Deploy ? $"deploy of {request.Version}" + (request.CanaryPercent is { } p ? $" as a {p}% canary" : "") : request.Action;
        return (OperationResult.Ok($"{app}: {what} requested; the scaler leader acts on it (agent status, history in KV {keys.HistoryPrefix})"), written?.ModifyIndex ?? 0);
    }

    /// <summary>
    /// Follows the leader until the request is acted on and the deploy is over (a canary: until it
    /// runs), reporting each new deploy history entry. Succeeds when the deploy succeeded.
    /// </summary>
    public async Task<OperationResult> WaitAsync(string app, ulong requestIndex, TimeSpan timeout, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var keys = new ScalerKeys(prefix, app);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var seen = new HashSet<long>();
        var first = true;
        try
        {
            var reads = BlockingWatch.WatchAsync((options, ct) => consul.KV.ListAsync(keys.AppPrefix, options, ct), time: _time, cancellationToken: linked.Token);
            await foreach (var read in reads.ConfigureAwait(false))
            {
                var snapshot = AppSnapshot.From(keys, read.Value);
                foreach (var pair in read.Value.Where(pair => keys.HistorySequence(pair.Key) is { } sequence && seen.Add(sequence)))
                {
                    if (!first && DecisionRecordJson.TryRead(pair.ValueAsString()) is { Kind: "deploy" } record)
                    {
                        progress.Report($"{record.At:HH:mm:ss} {record.Reason} (token {record.FencingToken})");
                    }
                }

                first = false;
                if (snapshot.DeployRequest?.ModifyIndex == requestIndex)
                {
                    continue; // not acted on yet
                }

                var state = snapshot.DeployText is { } text ? DeployRequestJson.ReadState(text, out _) : null;
                if (state is null || state.HandledRequest != requestIndex)
                {
                    return OperationResult.Failed($"{app}: the leader did not act on the request (see the history above)");
                }

                if (state.Status == DeployStatus.Canary && !state.Reverting)
                {
                    return OperationResult.Ok($"{app}: canary of {state.Version} running at {state.CanaryPercent}% (agent deploy {app} --promote | --abort)");
                }

                if (!state.IsActive)
                {
                    var message = $"{app}: on {state.Version}; {state.Outcome}: {state.Reason}";
                    return state.Outcome == DeployStatus.Succeeded ? OperationResult.Ok(message) : OperationResult.Failed(message);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }

        return OperationResult.Failed($"{app}: gave up waiting after {timeout.TotalSeconds:0.#}s (the deploy goes on; agent status shows it)");
    }
}
