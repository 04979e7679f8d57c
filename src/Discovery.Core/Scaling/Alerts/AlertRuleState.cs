namespace Discovery.Core.Scaling.Alerts;

/// <summary>Where one rule stands between evaluations: since when its condition holds (or has stopped holding), and whether it fires.</summary>
internal sealed record AlertRuleState(DateTimeOffset? ConditionSince, DateTimeOffset? ClearSince, bool Firing)
{
    public static AlertRuleState Idle { get; } = new(null, null, false);
}
