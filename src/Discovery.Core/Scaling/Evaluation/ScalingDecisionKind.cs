namespace Discovery.Core.Scaling.Evaluation;

/// <summary>What the scaler did with one evaluation.</summary>
internal enum ScalingDecisionKind
{
    /// <summary>Did not evaluate the policy (missing metric data, or a manual hold keeps the count).</summary>
    Hold,

    /// <summary>Evaluated (or paused), and the count stays: within thresholds, blocked by cooldown or stabilization.</summary>
    NoChange,

    /// <summary>The desired count changes to <see cref="ScalingDecision.NewCount"/>.</summary>
    Scale,
}
