namespace Discovery.Core.Scaling.Placement;

/// <summary>
/// Spreads a desired instance count over eligible nodes, evenly (counts differ by at most one)
/// and stably: the nodes that get the extra instance are the ones that already run the most, so a
/// change of ±1 adds or removes one instance and moves none. Ties break by node name (ordinal),
/// so every scaler computes the same plan from the same input.
/// </summary>
internal static class PlacementPlanner
{
    /// <param name="desired">Total instances wanted (≥ 0).</param>
    /// <param name="eligibleNodes">Nodes whose node agent is passing and that offer the app.</param>
    /// <param name="currentPlacement">The placement now in KV; may name nodes that are no longer eligible.</param>
    /// <returns>
    /// A count for every eligible node, and 0 for every currently placed node that is no longer
    /// eligible (so the caller writes 0 and that node's agent drains when it comes back).
    /// </returns>
    public static PlacementPlan Plan(int desired, IReadOnlyList<string> eligibleNodes, IReadOnlyDictionary<string, int> currentPlacement)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(desired);
        var nodes = eligibleNodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        int CurrentOn(string node) => currentPlacement.TryGetValue(node, out var count) ? Math.Max(count, 0) : 0;

        if (nodes.Count == 0)
        {
            if (desired > 0)
            {
                return new PlacementPlan(
                    false,
                    new SortedDictionary<string, int>(StringComparer.Ordinal),
                    0,
                    $"cannot place {desired} instance(s): no eligible node");
            }

            var none = currentPlacement.Keys.ToDictionary(n => n, _ => 0, StringComparer.Ordinal);
            return new PlacementPlan(true, Sorted(none), 0, "0 instances: nothing to place");
        }

        var share = desired / nodes.Count;
        var extra = desired % nodes.Count;

        // Giving the extra instance to a node that already runs more than the even share saves a
        // move; among equals, the node name decides.
        var getsExtra = nodes
            .OrderByDescending(CurrentOn)
            .ThenBy(n => n, StringComparer.Ordinal)
            .Take(extra)
            .ToHashSet(StringComparer.Ordinal);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in nodes)
        {
            counts[node] = share + (getsExtra.Contains(node) ? 1 : 0);
        }

        foreach (var node in currentPlacement.Keys.Where(n => !counts.ContainsKey(n)))
        {
            counts[node] = 0;
        }

        // An instance moves when one node loses it while another gains: count the smaller side.
        // In long: the counts come from KV, and a sum of ints from there must not overflow.
        var removed = counts.Sum(c => Math.Max((long)CurrentOn(c.Key) - c.Value, 0));
        var added = counts.Sum(c => Math.Max((long)c.Value - CurrentOn(c.Key), 0));
        var moved = (int)Math.Min(Math.Min(removed, added), int.MaxValue);
        var reason = $"{desired} instance(s) over {nodes.Count} node(s): " +
                     string.Join(", ", nodes.Select(n => $"{n}={counts[n]}")) +
                     (moved > 0 ? $"; {moved} moved" : string.Empty);
        return new PlacementPlan(true, Sorted(counts), moved, reason);
    }

    private static SortedDictionary<string, int> Sorted(IDictionary<string, int> counts) =>
        new(counts, StringComparer.Ordinal);
}
