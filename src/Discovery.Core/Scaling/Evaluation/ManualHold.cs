namespace Discovery.Core.Scaling.Evaluation;

/// <summary>An operator's <c>agent scale --to N --hold D</c>: keep <paramref name="Count"/> until <paramref name="Until"/>.</summary>
/// <param name="Forced">
/// Written with <c>--force</c>: only then may <paramref name="Count"/> lie outside the policy's
/// min..max (the scaler clamps an unforced one, so a hand-written KV value cannot bypass the bounds).
/// </param>
internal sealed record ManualHold(int Count, DateTimeOffset Until, string? Reason = null, bool Forced = false);
