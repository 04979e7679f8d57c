using System.Text.Json;
using Discovery.Consul.KV;

namespace Discovery.Core.NodeAgent.Draining;

/// <summary>
/// Reads the load balancers' <c>&lt;prefix&gt;/lb/&lt;lb&gt;/routed</c> keys, where each renderer
/// publishes <c>{"instances":[ids…]}</c> after every reload.
/// </summary>
public static class RoutedInstances
{
    /// <summary>
    /// True while any load balancer still routes to <paramref name="instanceId"/>, false when none
    /// does, null when no load balancer publishes its routes at all (the caller then falls back to
    /// the catalog). An unreadable value counts as still routing: waiting out the drain timeout is
    /// safer than cutting requests.
    /// </summary>
    public static bool? IsRouted(IReadOnlyList<KVPair> lbKeys, string instanceId)
    {
        var any = false;
        foreach (var pair in lbKeys)
        {
            if (!pair.Key.EndsWith("/routed", StringComparison.Ordinal))
            {
                continue;
            }

            any = true;
            if (Lists(pair.ValueAsString(), instanceId) != false)
            {
                return true;
            }
        }

        return any ? false : null;
    }

    /// <summary>Whether one routed document lists the instance; null when the document is not the expected shape.</summary>
    public static bool? Lists(string json, string instanceId)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("instances", out var instances)
                || instances.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            return instances.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && item.GetString() == instanceId);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
