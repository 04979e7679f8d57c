using System.Globalization;
using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.Durations;
using Discovery.Consul.Queries;
using Discovery.Consul.KV;
using Discovery.Consul.Txn;
using Discovery.Consul.Watching;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Timing;

namespace Discovery.Core.Scaling.Operations;

/// <summary>
/// <c>agent scale &lt;app&gt; --to N [--hold 10m] [--force] [--wait --timeout T]</c>: validates N,
/// then writes the desired count and a manual hold in one transaction. Not fenced: the operator
/// is not the leader; the leader honours the hold (keeps N until it expires, then autoscales).
/// </summary>
internal sealed class ScaleOperation
{
    /// <summary>How long the scaler keeps a manual count before autoscaling again, when --hold is not given.</summary>
    public static readonly TimeSpan DefaultHold = TimeSpan.FromMinutes(10);

    private readonly ConsulClient _consul;
    private readonly string _prefix;
    private readonly IReadOnlyDictionary<string, ScalingPolicy> _configPolicies;
    private readonly TimeProvider _time;

    /// <param name="configPolicies">Policies from the scaler config by app, when the CLI has it; KV policies are always consulted.</param>
    public ScaleOperation(ConsulClient consul, string prefix, IReadOnlyDictionary<string, ScalingPolicy>? configPolicies = null, TimeProvider? time = null)
    {
        _consul = consul;
        _prefix = prefix;
        _configPolicies = configPolicies ?? new Dictionary<string, ScalingPolicy>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Parses the <c>--to</c> value: a plain integer ≥ 0.</summary>
    public static bool TryParseCount(string? text, out int count, out string error)
    {
        count = 0;
        if (!int.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            error = $"--to: \"{text}\" is not a whole number";
            return false;
        }

        if (parsed < 0)
        {
            error = $"--to: {parsed} is negative; the count must be 0 or more";
            return false;
        }

        if (parsed > ScalingPolicyBinder.MaxInstances)
        {
            error = $"--to: {parsed} is above the node cap of {ScalingPolicyBinder.MaxInstances} instances (even with --force)";
            return false;
        }

        count = parsed;
        error = "";
        return true;
    }

    /// <summary>Validates and writes desired = N and the hold. Nothing is written when validation fails.</summary>
    /// <param name="hold">How long the scaler keeps N; null = <see cref="DefaultHold"/>; zero = no hold (autoscaling may change N at once).</param>
    /// <param name="force">Allow N outside the policy's min..max.</param>
    public async Task<OperationResult> ScaleAsync(string app, string countText, TimeSpan? hold, bool force, string? reason, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(app) || app.Contains('/', StringComparison.Ordinal))
        {
            return OperationResult.Invalid($"\"{app}\" is not an app name");
        }

        if (!TryParseCount(countText, out var count, out var countError))
        {
            return OperationResult.Invalid(countError);
        }

        var holdFor = hold ?? DefaultHold;
        if (holdFor < TimeSpan.Zero)
        {
            return OperationResult.Invalid($"--hold: {GoDuration.Format(holdFor)} is negative");
        }

        var keys = new ScalerKeys(_prefix, app);
        var (policy, lookupError) = await AppPolicyLookup.FindAsync(_consul, keys, _configPolicies, force, cancellationToken).ConfigureAwait(false);
        if (lookupError is not null)
        {
            return lookupError;
        }

        if (!force && policy is not null && (count < policy.Min || count > policy.Max))
        {
            return OperationResult.Invalid($"--to {count} is outside {app}'s policy bounds {policy.Min}..{policy.Max}; use --force to override");
        }

        var until = _time.GetUtcNow() + holdFor;
        var operations = new List<TxnOperation> { TxnOperation.Set(keys.Desired, count.ToString(CultureInfo.InvariantCulture)) };
        operations.Add(holdFor > TimeSpan.Zero
            ? TxnOperation.Set(keys.Hold, HoldJson.Write(new ManualHold(count, until, reason ?? $"agent scale --to {count}", Forced: force)))
            : TxnOperation.Delete(keys.Hold));
        try
        {
            var result = await _consul.Txn.ExecuteAsync(operations, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!result.Committed)
            {
                return OperationResult.Failed($"Consul rolled back the write: {string.Join("; ", result.Errors.Select(e => e.What))}");
            }
        }
        catch (ConsulException e)
        {
            return OperationResult.Failed($"cannot write {keys.Desired}: {e.Message}");
        }

        var bounds = policy is null ? "" : $" (policy {policy.Min}..{policy.Max}{(force && (count < policy.Min || count > policy.Max) ? ", forced" : "")})";
        return OperationResult.Ok(holdFor > TimeSpan.Zero
            ? $"{app}: desired {count}{bounds}, held until {until.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z ({GoDuration.Format(holdFor)}); autoscaling resumes after that"
            : $"{app}: desired {count}{bounds}, no hold: autoscaling may change it at the next evaluation");
    }

    /// <summary>
    /// Reports progress until exactly <paramref name="count"/> instances of <paramref name="app"/>
    /// pass their checks and every load balancer that publishes a routed list routes all of them,
    /// or fails after <paramref name="timeout"/>. Two blocking watches (the app's passing set, the
    /// load balancers' routed lists) wake it; only a change of their data counts, so a write
    /// elsewhere in KV (the routed prefix may be empty) neither re-reads nor repeats a progress line.
    /// </summary>
    public async Task<OperationResult> WaitAsync(string app, int count, TimeSpan timeout, IProgress<ScaleProgress>? progress, CancellationToken cancellationToken)
    {
        var keys = new ScalerKeys(_prefix, app);
        var started = _time.GetTimestamp();
        var inputs = new WaitInputs();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var changed = new WakeSignal(_time);
        var watches = Task.WhenAll(
            FollowAsync(
                Watch((options, ct) => _consul.Health.ServiceAsync(keys.App, passingOnly: true, options: options, cancellationToken: ct), inputs, stop.Token)
                    .Select(entries => (IReadOnlyList<string>)[.. entries.Select(entry => entry.Service.ID).Distinct().Order(StringComparer.Ordinal)])
                    .WhereChanged(SequenceComparer<string>.Default, cancellationToken: stop.Token),
                passing => inputs.Passing = passing,
                changed),
            FollowAsync(
                Watch((options, ct) => _consul.KV.ListAsync(keys.LoadBalancersPrefix, options, ct), inputs, stop.Token)
                    .WhereChanged(KVPairComparer.Listing, cancellationToken: stop.Token),
                routes => inputs.Routes = routes,
                changed));
        ScaleProgress? last = null;
        try
        {
            while (await changed.WaitAsync(timeout - _time.GetElapsedTime(started), cancellationToken).ConfigureAwait(false))
            {
                if (inputs is { Passing: { } passing, Routes: { } routes })
                {
                    var now = Progress(keys.App, count, passing, routes, _time.GetElapsedTime(started));
                    if (last is null || now with { Elapsed = last.Elapsed } != last)
                    {
                        progress?.Report(now); // both watches' first answers may wake it twice: say each state once
                    }

                    last = now;
                    if (last.Done)
                    {
                        return OperationResult.Ok($"{last}");
                    }
                }
            }

            return OperationResult.Failed($"timed out after {GoDuration.Format(timeout)}: " +
                (last?.ToString() ?? "no progress read") + (inputs.Error is { } error ? $"; last error: {error}" : ""));
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await watches.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // the watches end with the wait
            }
        }
    }

    /// <summary>A blocking watch's values; a failure is kept for the timeout message until the next answer.</summary>
    private IAsyncEnumerable<T> Watch<T>(Func<QueryOptions, CancellationToken, Task<QueryResult<T>>> query, WaitInputs inputs, CancellationToken cancellationToken) =>
        BlockingWatch.WatchAsync(query, onError: (error, _) => inputs.Error = error.Message, time: _time, cancellationToken: cancellationToken)
            .Select(result =>
            {
                inputs.Error = null;
                return result.Value;
            });

    private static async Task FollowAsync<T>(IAsyncEnumerable<T> changes, Action<T> store, WakeSignal changed)
    {
        await foreach (var value in changes.ConfigureAwait(false))
        {
            store(value);
            changed.Set();
        }
    }

    private static ScaleProgress Progress(string app, int count, IReadOnlyList<string> passing, IReadOnlyList<KVPair> routes, TimeSpan elapsed)
    {
        var routedLists = routes
            .Where(pair => pair.Key.EndsWith("/routed", StringComparison.Ordinal))
            .Select(pair => ReadRouted(pair.ValueAsString()))
            .ToList();
        var routed = passing.Count(id => routedLists.All(list => list.Contains(id)));
        return new ScaleProgress(app, count, passing.Count, routed, routedLists.Count, elapsed);
    }

    /// <summary>Instance IDs of a renderer's <c>{"instances":[…],"at":…}</c>; garbage routes nothing.</summary>
    internal static IReadOnlySet<string> ReadRouted(string json)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("instances", out var instances)
                && instances.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in instances.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        ids.Add(item.GetString()!);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // an unreadable list routes nothing, so the wait keeps waiting rather than lying
        }

        return ids;
    }

    /// <summary>The latest data of a wait's two watches (written by their loops, read by the wait).</summary>
    private sealed class WaitInputs
    {
        private volatile IReadOnlyList<string>? _passing;
        private volatile IReadOnlyList<KVPair>? _routes;
        private volatile string? _error;

        public IReadOnlyList<string>? Passing { get => _passing; set => _passing = value; }

        public IReadOnlyList<KVPair>? Routes { get => _routes; set => _routes = value; }

        public string? Error { get => _error; set => _error = value; }
    }
}
