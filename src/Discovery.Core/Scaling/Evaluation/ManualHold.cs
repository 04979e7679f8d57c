namespace Discovery.Core.Scaling.Evaluation;

/// <summary>An operator's <c>agent scale --to N --hold D</c>: keep <paramref name="Count"/> until <paramref name="Until"/>.</summary>
internal sealed record ManualHold(int Count, DateTimeOffset Until, string? Reason = null);
