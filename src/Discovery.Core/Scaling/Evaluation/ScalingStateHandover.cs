namespace Discovery.Core.Scaling.Evaluation;

/// <summary>
/// When the leader writes <c>scaler-state</c>, and how a new leader reads it back. The goal is a
/// leader that writes nothing while nothing changes (issue 19: writing the state on every evaluation
/// was one Raft commit per app per interval, forever) without letting a successor scale sooner
/// than the old leader would have.
/// <para>
/// What changes between two evaluations of a quiet app is only the time of the newest
/// recommendation: the stabilization window is a decreasing staircase, and a repeated
/// recommendation just moves its last step to "now". Everything else — the cooldown timestamps and
/// every older step — changes only when a decision or a different recommendation is made. So the
/// stored state is written only when it differs from the state in memory in anything but the
/// newest step's time, and that step is defined as <b>still current when its leader stopped</b>: a
/// successor takes it as made at takeover (<see cref="TakeOver"/>). The leader writes as soon as the
/// recommendation moves, so a stored newest step is the recommendation in force until the
/// leader stopped, and dating it at takeover is at most one evaluation interval plus the failover
/// time later than the truth — which only ever delays a scale-down, never hastens one. Nothing
/// needs writing on step-down either, for the same reason.
/// </para>
/// </summary>
internal static class ScalingStateHandover
{
    /// <summary>
    /// The state a new leader continues from: stored steps in time order as a staircase, the newest
    /// dated <paramref name="now"/>, and no timestamp after <paramref name="now"/> (a clock ahead of
    /// ours, or a hand-edited value, must not block scaling for longer than one window or cooldown).
    /// </summary>
    public static ScalingState TakeOver(ScalingState stored, DateTimeOffset now)
    {
        var steps = new List<TimedRecommendation>();
        foreach (var step in stored.Recommendations.OrderBy(r => r.At))
        {
            // A later step not lower than earlier ones hides them (the evaluator keeps it so, but this is read from KV).
            steps.RemoveAll(earlier => earlier.Count <= step.Count);
            steps.Add(step with { At = Earliest(step.At, now) });
        }

        if (steps.Count > 0)
        {
            steps[^1] = steps[^1] with { At = now };
        }

        return stored with
        {
            LastScaleUpAt = stored.LastScaleUpAt is { } up ? Earliest(up, now) : null,
            LastScaleDownAt = stored.LastScaleDownAt is { } down ? Earliest(down, now) : null,
            Recommendations = steps,
        };
    }

    /// <summary>
    /// True when <paramref name="current"/> must be written because a successor starting from
    /// <paramref name="stored"/> (null: missing or unreadable) would decide differently: a cooldown
    /// moved, or the window's steps differ in anything but the newest step's time. Steps that have
    /// left the window by <paramref name="now"/> are ignored on both sides.
    /// </summary>
    public static bool MustWrite(ScalingState? stored, ScalingState current, DateTimeOffset now, TimeSpan stabilization)
    {
        if (stored is null)
        {
            return true;
        }

        var successor = TakeOver(stored, now);
        if (successor.LastScaleUpAt != current.LastScaleUpAt || successor.LastScaleDownAt != current.LastScaleDownAt)
        {
            return true;
        }

        var windowStart = now - stabilization;
        var theirs = successor.Recommendations.Where(r => r.At >= windowStart).ToList();
        var ours = current.Recommendations.Where(r => r.At >= windowStart).OrderBy(r => r.At).ToList();
        if (theirs.Count != ours.Count)
        {
            return true;
        }

        for (var i = 0; i < ours.Count; i++)
        {
            var newest = i == ours.Count - 1;
            if (theirs[i].Count != ours[i].Count || (!newest && theirs[i].At != ours[i].At))
            {
                return true;
            }
        }

        return false;
    }

    private static DateTimeOffset Earliest(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
