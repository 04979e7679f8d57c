using System.Globalization;
using System.Text;
using System.Text.Json;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.Health;
using Discovery.Consul.KV;
using Discovery.Core.NodeAgent.Reconciliation;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Scaling.Sources;

namespace Discovery.Core.Status;

/// <summary>
/// Gathers <see cref="FleetStatus"/> from Consul: the KV tree under the prefix (one recursive read),
/// the catalog services tagged "discovery", each app's health entries, and the leader sessions.
/// Read-only; the operator token is enough.
/// </summary>
internal sealed class FleetStatusReader(ConsulClient client, string prefix, TimeProvider time)
{
    public const int DecisionsShown = 5;

    private readonly string _prefix = prefix.Trim('/');

    public async Task<FleetStatus> ReadAsync(string? onlyApp, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var leaderTask = client.Status.LeaderAsync(cancellationToken);
        var kv = (await client.KV.ListAsync(_prefix + "/", null, cancellationToken).ConfigureAwait(false)).Value;
        var services = (await client.Catalog.ServicesAsync(null, cancellationToken).ConfigureAwait(false)).Value;

        var appNames = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (name, tags) in services)
        {
            if (tags.Contains(ServiceRegistrationFactory.DiscoveryTag))
            {
                appNames.Add(name);
            }
        }

        var appsPrefix = _prefix + "/apps/";
        foreach (var pair in kv)
        {
            if (pair.Key.StartsWith(appsPrefix, StringComparison.Ordinal))
            {
                var rest = pair.Key[appsPrefix.Length..];
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0)
                {
                    appNames.Add(rest[..slash]);
                }
            }
        }

        if (onlyApp is not null)
        {
            // Asked for by name: shown even when Consul knows nothing about it yet (all zeros).
            appNames.Clear();
            appNames.Add(onlyApp);
        }

        var liveLoadBalancers = await ReadPassingLoadBalancersAsync(cancellationToken).ConfigureAwait(false);
        var routed = ReadRouted(kv, liveLoadBalancers);
        var apps = new List<AppStatus>();
        foreach (var app in appNames)
        {
            apps.Add(await ReadAppAsync(app, kv, routed, now, cancellationToken).ConfigureAwait(false));
        }

        return new FleetStatus(now, await leaderTask.ConfigureAwait(false), apps);
    }

    private async Task<AppStatus> ReadAppAsync(string app, IReadOnlyList<KVPair> kv, HashSet<string> routed, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var appPrefix = $"{_prefix}/apps/{app}/";
        KVPair? Key(string name) => kv.FirstOrDefault(pair => pair.Key == appPrefix + name);

        var desired = ParseInt(Key("desired"));
        var placement = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var pair in kv.Where(pair => pair.Key.StartsWith(appPrefix + "placement/", StringComparison.Ordinal)))
        {
            // Plain counts or a deploy's version map: the total either way.
            placement[pair.Key[(appPrefix + "placement/").Length..]] = PlacementValue.Parse(pair.ValueAsString()).Count ?? 0;
        }

        var autoscale = !string.Equals(Key("autoscale")?.ValueAsString().Trim(), "off", StringComparison.OrdinalIgnoreCase);
        var hold = ParseHold(Key("hold"), now);
        var leader = await ReadLeaderAsync(Key("leader"), cancellationToken).ConfigureAwait(false);
        var decisions = kv
            .Where(pair => pair.Key.StartsWith(appPrefix + "history/", StringComparison.Ordinal))
            .Select(pair => (Sequence: pair.Key[(appPrefix + "history/").Length..], Pair: pair))
            .OrderBy(entry => long.TryParse(entry.Sequence, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : long.MaxValue)
            .ThenBy(entry => entry.Sequence, StringComparer.Ordinal)
            .TakeLast(DecisionsShown)
            .Reverse()
            .Select(entry => ParseDecision(entry.Sequence, entry.Pair))
            .ToList();

        var entries = (await client.Health.ServiceAsync(app, null, false, null, cancellationToken).ConfigureAwait(false)).Value;
        var instances = entries
            .OrderBy(entry => entry.Node.Name, StringComparer.Ordinal)
            .ThenBy(entry => entry.Service.ID, StringComparer.Ordinal)
            .Select(entry => ToInstance(entry, routed, now))
            .ToList();

        return new AppStatus(
            app,
            desired,
            placement.Values.Sum(),
            placement,
            instances.Count,
            instances.Count(instance => instance.Health == CheckStatus.Passing),
            instances.Count(instance => instance.Routed),
            hold,
            autoscale,
            leader,
            decisions,
            instances)
        {
            Deploy = DeploySummary(Key("deploy")),
        };
    }

    /// <summary>"rolling 1.0.0 → 1.1.0", "1.1.0 (succeeded)" …; null when the app never had a deploy (or its state is unreadable).</summary>
    private static string? DeploySummary(KVPair? pair)
    {
        if (pair is null || Deploying.DeployRequestJson.ReadState(pair.ValueAsString(), out _) is not { } state)
        {
            return null;
        }

        return state.IsActive
            ? $"{state.Status} {state.Previous} → {state.Version}" + (state.Reverting ? $" (reverting: {state.Reason})" : "")
            : $"{state.Version} ({state.Outcome}{(state.Outcome == Deploying.DeployStatus.Succeeded ? "" : $": {state.Reason}")})";
    }

    private async Task<LeaderStatus?> ReadLeaderAsync(KVPair? leaderKey, CancellationToken cancellationToken)
    {
        if (leaderKey?.Session is not { Length: > 0 } session)
        {
            return null;
        }

        var info = await client.Sessions.InfoAsync(session, null, cancellationToken).ConfigureAwait(false);
        return new LeaderStatus(session, info.Value?.Node, info.Value?.Name, leaderKey.LockIndex);
    }

    /// <summary>IDs of the `lb` services whose checks all pass: the load balancers that exist now.</summary>
    private async Task<HashSet<string>> ReadPassingLoadBalancersAsync(CancellationToken cancellationToken)
    {
        var entries = await client.Health.ServiceAsync(StubStatusMetricSource.LoadBalancerService, passingOnly: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entries.Value.Select(entry => entry.Service.ID).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Instances some load balancer routes to. Only a load balancer whose `lb` service passes
    /// counts: a halted or crashed one leaves its last routed list in KV, and what it lists is
    /// routed by nobody.
    /// </summary>
    private HashSet<string> ReadRouted(IReadOnlyList<KVPair> kv, HashSet<string> passingLoadBalancers)
    {
        var routed = new HashSet<string>(StringComparer.Ordinal);
        var lbPrefix = _prefix + "/lb/";
        foreach (var pair in kv.Where(pair => pair.Key.StartsWith(lbPrefix, StringComparison.Ordinal) && pair.Key.EndsWith("/routed", StringComparison.Ordinal)))
        {
            var name = pair.Key[lbPrefix.Length..^"/routed".Length];
            if (!passingLoadBalancers.Contains(LoadBalancerRegistrar.ServiceIdOf(name)))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(pair.Value ?? []);
                if (document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("instances", out var list)
                    && list.ValueKind == JsonValueKind.Array)
                {
                    foreach (var id in list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String))
                    {
                        routed.Add(id.GetString()!);
                    }
                }
            }
            catch (JsonException)
            {
                // A load balancer writing garbage shows as routing nothing, which is what it tells us.
            }
        }

        return routed;
    }

    private static InstanceStatus ToInstance(ServiceEntry entry, HashSet<string> routed, DateTimeOffset now)
    {
        var meta = entry.Service.Meta;
        TimeSpan? age = meta is not null && meta.TryGetValue(Discovery.Core.NodeAgent.Registration.ServiceRegistrationFactory.StartedKey, out var started)
            && DateTimeOffset.TryParse(started, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var startedAt)
            ? now - startedAt
            : null;
        return new InstanceStatus(
            entry.Service.ID,
            entry.Node.Name,
            entry.EffectiveAddress,
            entry.Service.Port,
            entry.AggregatedStatus,
            meta is not null && meta.TryGetValue("version", out var version) ? version : null,
            age,
            routed.Contains(entry.Service.ID));
    }

    private static int? ParseInt(KVPair? pair) =>
        pair is not null && int.TryParse(pair.ValueAsString().Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    internal static HoldStatus? ParseHold(KVPair? pair, DateTimeOffset now)
    {
        if (pair?.Value is not { Length: > 0 } bytes)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            int? count = root.TryGetProperty("count", out var c) && c.TryGetInt32(out var parsed) ? parsed : null;
            DateTimeOffset? until = root.TryGetProperty("until", out var u) && u.ValueKind == JsonValueKind.String && u.TryGetDateTimeOffset(out var when) ? when : null;
            var reason = root.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            return new HoldStatus(count, until, reason, until is null || until > now);
        }
        catch (JsonException)
        {
            return new HoldStatus(null, null, "unreadable: " + Encoding.UTF8.GetString(bytes), false);
        }
    }

    internal static DecisionStatus ParseDecision(string sequence, KVPair pair)
    {
        try
        {
            using var document = JsonDocument.Parse(pair.Value ?? []);
            var root = document.RootElement.Clone();
            return new DecisionStatus(sequence, Summarize(root), root);
        }
        catch (JsonException)
        {
            return new DecisionStatus(sequence, pair.ValueAsString(), null);
        }
    }

    /// <summary>"time from→to reason" from whichever of the usual field names the entry carries.</summary>
    internal static string Summarize(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return entry.ToString();
        }

        string? Find(params string[] names)
        {
            foreach (var property in entry.EnumerateObject())
            {
                if (names.Contains(property.Name, StringComparer.OrdinalIgnoreCase))
                {
                    return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
                }
            }

            return null;
        }

        var at = Find("time", "at", "timestamp");
        var from = Find("from", "old", "oldCount", "previous");
        var to = Find("to", "new", "newCount", "desired");
        var reason = Find("reason");
        var parts = new List<string>();
        if (at is not null)
        {
            parts.Add(at);
        }

        if (from is not null || to is not null)
        {
            parts.Add($"{from ?? "?"}→{to ?? "?"}");
        }

        if (reason is not null)
        {
            parts.Add(reason);
        }

        return parts.Count > 0 ? string.Join(' ', parts) : entry.GetRawText();
    }
}
