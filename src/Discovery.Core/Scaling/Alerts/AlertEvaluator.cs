namespace Discovery.Core.Scaling.Alerts;

/// <summary>
/// One evaluation of one rule, pure: the condition (value above the threshold) must hold for the
/// rule's <c>for</c> before it fires, and must stay false as long before it resolves, so a value
/// hovering at the threshold does not flap. An unreadable value (null) changes nothing: an outage of
/// the source must neither fire nor resolve an alert.
/// </summary>
internal static class AlertEvaluator
{
    /// <returns>The next state, and "firing"/"resolved" when the status changed (null otherwise).</returns>
    public static (AlertRuleState Next, string? Change) Evaluate(AlertRule rule, AlertRuleState state, double? value, DateTimeOffset now)
    {
        if (value is not { } current)
        {
            return (state, null);
        }

        var holds = current > rule.Above;
        if (holds)
        {
            var since = state.ConditionSince ?? now;
            var fire = !state.Firing && now - since >= rule.For;
            return (new AlertRuleState(since, null, state.Firing || fire), fire ? AlertEvent.Firing : null);
        }

        if (!state.Firing)
        {
            return (AlertRuleState.Idle, null);
        }

        var clear = state.ClearSince ?? now;
        var resolve = now - clear >= rule.For;
        return resolve ? (AlertRuleState.Idle, AlertEvent.Resolved) : (new AlertRuleState(null, clear, true), null);
    }
}
