namespace Discovery.Core.Scaling.Evaluation;

/// <summary>A strategy's recommended count at a time, kept for the scale-down stabilization window.</summary>
internal sealed record TimedRecommendation(DateTimeOffset At, int Count);
