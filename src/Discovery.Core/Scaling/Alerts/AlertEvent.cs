namespace Discovery.Core.Scaling.Alerts;

/// <summary>
/// What a webhook receives (JSON, camelCase): a rule started firing or resolved. <paramref name="FencingToken"/>
/// and <paramref name="Leader"/> say which leader term evaluated it, so a receiver can drop events of a deposed leader.
/// </summary>
/// <param name="Status">"firing" or "resolved".</param>
/// <param name="Value">The signal's value when the status changed (null when it could not be read).</param>
/// <param name="Since">When the condition started (firing) or ended (resolved).</param>
internal sealed record AlertEvent(
    string Rule,
    string Status,
    string Signal,
    string? App,
    double? Value,
    double Above,
    string For,
    string Detail,
    DateTimeOffset Since,
    DateTimeOffset At,
    string Leader,
    ulong FencingToken)
{
    public const string Firing = "firing";
    public const string Resolved = "resolved";
}
