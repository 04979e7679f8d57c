namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>
/// The converge rule with versions, pure: one <see cref="ConvergencePlanner"/> pass per version.
/// The placement says how many instances of each version run here (the plain count form: all of
/// the config's version). A version this node cannot run is never started; instances of a version
/// the placement no longer names are drained.
/// </summary>
public static class VersionedConvergencePlanner
{
    /// <param name="desired">The placement's total; null while the placement is unknown (then only the config's version, nothing drained).</param>
    /// <param name="versions">The placement's version map; null for the plain count form.</param>
    /// <param name="configVersion">The version the node config names.</param>
    /// <param name="defaultInstances">Instances to run while the placement is unknown.</param>
    /// <param name="live">Live (not draining) instances.</param>
    /// <param name="whyNotRunnable">Why a version cannot run here (null when it can).</param>
    /// <param name="unrunnable">Receives each version that was wanted but cannot run, with the reason.</param>
    public static IReadOnlyList<(string Version, ConvergencePlan Plan)> Plan(
        int? desired,
        IReadOnlyDictionary<string, int>? versions,
        string configVersion,
        int defaultInstances,
        IReadOnlyList<VersionedInstanceView> live,
        Func<string, string?> whyNotRunnable,
        Action<string, string>? unrunnable = null)
    {
        if (desired is null)
        {
            return [(configVersion, ConvergencePlanner.Plan(null, defaultInstances, [.. live.Select(instance => instance.View)]))];
        }

        var wanted = versions ?? new Dictionary<string, int> { [configVersion] = desired.Value };
        var plans = new List<(string, ConvergencePlan)>();
        foreach (var version in wanted.Keys.Union(live.Select(instance => instance.Version)).Order(StringComparer.Ordinal))
        {
            var ofVersion = live.Where(instance => instance.Version == version).Select(instance => instance.View).ToList();
            var count = wanted.GetValueOrDefault(version);
            if (count > ofVersion.Count && whyNotRunnable(version) is { } whyNot)
            {
                unrunnable?.Invoke(version, whyNot);
                count = ofVersion.Count; // start none, drain none
            }

            plans.Add((version, ConvergencePlanner.Plan(count, defaultInstances, ofVersion)));
        }

        return plans;
    }
}
