using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>The pure converge rule of the reconciler.</summary>
public static class ConvergencePlanner
{
    /// <summary>
    /// Plans one pass. <paramref name="desired"/> null means the placement is unknown (Consul not
    /// answered yet): nothing is drained — placement unknown is not zero — and at most
    /// <paramref name="defaultInstances"/> are started so a node that boots during a Consul outage
    /// still serves. Surplus is drained broken first (crash-looping, then backing off), then newest
    /// first, so the longest-proven instances keep serving.
    /// </summary>
    public static ConvergencePlan Plan(int? desired, int defaultInstances, IReadOnlyList<InstanceView> live)
    {
        var target = desired ?? Math.Max(live.Count, defaultInstances);
        if (live.Count < target)
        {
            return new ConvergencePlan(target - live.Count, []);
        }

        if (live.Count == target)
        {
            return ConvergencePlan.Nothing;
        }

        var drain = live
            .OrderBy(instance => Rank(instance.State))
            .ThenByDescending(instance => instance.Sequence)
            .Take(live.Count - target)
            .Select(instance => instance.InstanceId)
            .ToList();
        return new ConvergencePlan(0, drain);
    }

    private static int Rank(InstanceState state) => state switch
    {
        InstanceState.CrashLooping => 0,
        InstanceState.BackingOff => 1,
        InstanceState.Starting => 2,
        _ => 3,
    };
}
