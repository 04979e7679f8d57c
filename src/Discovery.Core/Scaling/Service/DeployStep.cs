using System.Globalization;
using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.Queries;
using Discovery.Consul.Txn;
using Discovery.Core.Deploying;
using Discovery.Core.NodeAgent.Reconciliation;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Placement;
using Discovery.Core.Scaling.Store;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Service;

/// <summary>
/// The deploy's part of a leader round: decodes the stored deploy state and any pending request
/// (both untrusted), observes the app's instances (versions, checks, routed by every load
/// balancer) only while a deploy is active or asked for, runs <see cref="DeployPlanner"/> and turns
/// its answer into operations of the round's one fenced transaction. An app that never had a
/// deploy costs nothing here: no read, and the placement keeps its plain counts.
/// </summary>
internal sealed partial class DeployStep(ConsulClient consul, ScalerKeys keys, ILogger logger)
{
    private static readonly QueryOptions Consistent = new() { Consistency = ConsistencyMode.Consistent };
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(1);
    private static readonly HttpClient StatsClient = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) });
    private string? _reportedState;

    public async Task<DeployWrite> PlanAsync(AppSnapshot snapshot, PlacementPlan placement, DateTimeOffset now, CancellationToken cancellationToken)
    {
        DeployState? state = null;
        if (snapshot.DeployText is { } text)
        {
            state = DeployRequestJson.ReadState(text, out var error);
            if (state is null)
            {
                if (_reportedState != text)
                {
                    _reportedState = text;
                    LogInvalidState(keys.App, keys.Deploy, error ?? "unreadable");
                }

                // Without knowing the version, any placement could start or stop the wrong one.
                return DeployWrite.None with { HoldPlacement = true };
            }
        }

        var events = new List<string>();
        var operations = new List<TxnOperation>();
        (DeployRequest, ulong)? request = null;
        if (snapshot.DeployRequest is { } pair)
        {
            // Consumed in the same transaction (CAS on its index: a newer request is never lost).
            operations.Add(TxnOperation.DeleteCas(keys.DeployRequest, pair.ModifyIndex));
            if (DeployRequestJson.ReadRequest(pair.ValueAsString(), out var error) is { } parsed)
            {
                request = (parsed, pair.ModifyIndex);
            }
            else
            {
                events.Add($"deploy request ignored: {error}");
                LogInvalidRequest(keys.App, keys.DeployRequest, error ?? "unreadable");
            }
        }

        if (state is null && request is null)
        {
            return DeployWrite.None with { Operations = operations, Events = events };
        }

        if (!placement.CanPlace)
        {
            return DeployWrite.None with { HoldPlacement = true, Active = state?.IsActive == true }; // the request waits for a node
        }

        var scrape = state is { IsActive: true, Reverting: false, MaxErrorPercent: not null } ? state.Version : null;
        var instances = state?.IsActive == true || request is not null ? await ObserveAsync(scrape, cancellationToken).ConfigureAwait(false) : [];
        var stored = snapshot.PlacementText.ToDictionary(
            entry => entry.Key,
            entry => PlacementValue.Parse(entry.Value) is var value && value.Error is null
                ? new PlacementVersions(value.Versions is null ? value.Count : null, value.Versions)
                : new PlacementVersions(null, null),
            StringComparer.Ordinal);
        var plan = DeployPlanner.Plan(new DeployInput(state, request, placement.Counts, stored, instances, now));
        events.AddRange(plan.Events);
        if (plan.State is { } next)
        {
            var nextText = DeployRequestJson.Write(next);
            if (nextText != snapshot.DeployText)
            {
                operations.Add(TxnOperation.Set(keys.Deploy, nextText));
            }
        }

        foreach (var (version, weight) in plan.Weights)
        {
            var weightText = weight.ToString(CultureInfo.InvariantCulture);
            if (!snapshot.WeightText.TryGetValue(version, out var storedWeight) || storedWeight != weightText)
            {
                operations.Add(TxnOperation.Set(keys.Weight(version), weightText));
            }
        }

        operations.AddRange(snapshot.WeightText.Keys.Where(version => !plan.Weights.ContainsKey(version)).Select(version => TxnOperation.Delete(keys.Weight(version))));
        var texts = plan.Placement?.ToDictionary(entry => entry.Key, entry => PlacementValue.Format(entry.Value), StringComparer.Ordinal);
        return new DeployWrite(texts, false, operations, events, plan.State?.IsActive == true);
    }

    /// <summary>Registered instances with their version; ready = every check passing and routed by every load balancer that publishes its routes.</summary>
    private async Task<IReadOnlyList<ObservedInstance>> ObserveAsync(string? scrapeVersion, CancellationToken cancellationToken)
    {
        var entries = (await consul.Health.ServiceAsync(keys.App, options: Consistent, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var routes = (await consul.KV.ListAsync(keys.LoadBalancersPrefix, Consistent, cancellationToken).ConfigureAwait(false)).Value;
        var routedLists = routes.Where(pair => pair.Key.EndsWith("/routed", StringComparison.Ordinal)).Select(pair => ScaleOperation.ReadRouted(pair.ValueAsString())).ToList();
        var instances = new List<ObservedInstance>();
        foreach (var entry in entries)
        {
            var meta = entry.Service.Meta ?? new Dictionary<string, string>();
            var version = meta.GetValueOrDefault(ServiceRegistrationFactory.VersionKey);
            if (!VersionName.IsValid(version))
            {
                LogInstanceSkipped(keys.App, entry.Service.ID, VersionName.Problem(version) ?? "no version");
                continue;
            }

            var passing = entry.AggregatedStatus == CheckStatus.Passing;
            var routed = routedLists.All(list => list.Contains(entry.Service.ID));
            var observed = new ObservedInstance(entry.Service.ID, meta.GetValueOrDefault(ServiceRegistrationFactory.NodeKey) ?? entry.Node.Name, version!, passing && routed);
            instances.Add(version == scrapeVersion && passing ? await WithStatsAsync(observed, entry.EffectiveAddress, entry.Service.Port, cancellationToken).ConfigureAwait(false) : observed);
        }

        return instances;
    }

    /// <summary>
    /// The instance's own answer counts (<c>GET /stats</c>: <c>{"requests":n,"serverErrors":m}</c>),
    /// for the 5xx-share revert. Chosen over nginx access logs: exact per instance and version with
    /// no log shipping from the load balancer; it misses errors nginx makes itself (a 502 when an
    /// instance dies), which the health deadline covers. Untrusted: anything but two non-negative
    /// counts (errors ≤ requests) within a second counts as "not offered".
    /// </summary>
    private async Task<ObservedInstance> WithStatsAsync(ObservedInstance instance, string address, int port, CancellationToken cancellationToken)
    {
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StatsTimeout);
            using var response = await StatsClient.GetAsync(new Uri($"http://{host}:{port}/stats"), timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > 4096)
            {
                return instance;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && root.TryGetProperty("requests", out var requests) && requests.TryGetInt64(out var total) && total >= 0
                   && root.TryGetProperty("serverErrors", out var errors) && errors.TryGetInt64(out var failed) && failed >= 0 && failed <= total
                ? instance with { Requests = total, ServerErrors = failed }
                : instance;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return instance;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{App}: deploy state at {Key} unreadable, placement held as it is until it is fixed: {Error}")]
    private partial void LogInvalidState(string app, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: deploy request at {Key} ignored: {Error}")]
    private partial void LogInvalidRequest(string app, string key, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{App}: instance {Instance} not counted by the deploy: {Reason}")]
    private partial void LogInstanceSkipped(string app, string instance, string reason);
}
