using System.Globalization;
using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.Durations;
using Discovery.Consul.Queries;
using Discovery.Consul.Txn;
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

    /// <summary>Retry delay of a wait while Consul is unreachable (otherwise it blocks on changes).</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

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
            ? TxnOperation.Set(keys.Hold, HoldJson.Write(new ManualHold(count, until, reason ?? $"agent scale --to {count}")))
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
    /// or fails after <paramref name="timeout"/>.
    /// </summary>
    public async Task<OperationResult> WaitAsync(string app, int count, TimeSpan timeout, IProgress<ScaleProgress>? progress, CancellationToken cancellationToken)
    {
        var keys = new ScalerKeys(_prefix, app);
        var started = _time.GetUtcNow();
        ScaleProgress? last = null;
        string? lastError = null;
        (ulong Health, ulong Routes) indexes = (0, 0);
        while (true)
        {
            try
            {
                (last, indexes) = await ReadProgressAsync(keys, count, _time.GetUtcNow() - started, cancellationToken).ConfigureAwait(false);
                lastError = null;
                progress?.Report(last);
                if (last.Done)
                {
                    return OperationResult.Ok($"{last}");
                }
            }
            catch (ConsulException e)
            {
                lastError = e.Message;
                indexes = (0, 0);
            }

            var remaining = timeout - (_time.GetUtcNow() - started);
            if (remaining <= TimeSpan.Zero)
            {
                return OperationResult.Failed($"timed out after {GoDuration.Format(timeout)}: " +
                    (last?.ToString() ?? "no progress read") + (lastError is null ? "" : $"; last error: {lastError}"));
            }

            await WaitForChangeAsync(keys, indexes, remaining, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Blocks until the app's passing set or a load balancer's routed list changes (two blocking
    /// queries, whichever answers first), or <paramref name="remaining"/> passes. Without indexes
    /// (Consul was unreachable) it just waits <see cref="PollInterval"/> before reading again.
    /// </summary>
    private async Task WaitForChangeAsync(ScalerKeys keys, (ulong Health, ulong Routes) indexes, TimeSpan remaining, CancellationToken cancellationToken)
    {
        var bound = remaining < PollInterval * 30 ? remaining : PollInterval * 30;
        if (indexes.Health == 0 || indexes.Routes == 0)
        {
            await Task.Delay(remaining < PollInterval ? remaining : PollInterval, _time, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Either query answering is the signal; the other is abandoned. Failures are not handled
        // here: the next read says what happened.
        await TimedWait.UntilAsync(
            async token =>
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(token);
                var health = _consul.Health.ServiceAsync(keys.App, passingOnly: true, options: QueryOptions.Default.Blocking(indexes.Health, bound), cancellationToken: wake.Token);
                var routes = _consul.KV.ListAsync(keys.LoadBalancersPrefix, QueryOptions.Default.Blocking(indexes.Routes, bound), wake.Token);
                await Task.WhenAny(health, routes).ConfigureAwait(false);
                await wake.CancelAsync().ConfigureAwait(false);
                try
                {
                    await Task.WhenAll(health, routes).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ConsulException)
                {
                    // the other query was abandoned, or Consul failed
                }
            },
            bound,
            _time,
            cancellationToken).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task<(ScaleProgress Progress, (ulong Health, ulong Routes) Indexes)> ReadProgressAsync(ScalerKeys keys, int count, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var health = await _consul.Health.ServiceAsync(keys.App, passingOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        var passing = health.Value.Select(entry => entry.Service.ID).ToHashSet(StringComparer.Ordinal);
        var routes = await _consul.KV.ListAsync(keys.LoadBalancersPrefix, cancellationToken: cancellationToken).ConfigureAwait(false);
        var routedLists = routes.Value
            .Where(pair => pair.Key.EndsWith("/routed", StringComparison.Ordinal))
            .Select(pair => ReadRouted(pair.ValueAsString()))
            .ToList();
        var routed = passing.Where(id => routedLists.All(list => list.Contains(id))).Count();
        return (new ScaleProgress(keys.App, count, passing.Count, routed, routedLists.Count, elapsed), (health.LastIndex, routes.LastIndex));
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
}
