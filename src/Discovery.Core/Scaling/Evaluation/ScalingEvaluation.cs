namespace Discovery.Core.Scaling.Evaluation;

/// <summary>A decision and the state to store for the next evaluation.</summary>
internal sealed record ScalingEvaluation(ScalingDecision Decision, ScalingState NextState);
