namespace Discovery.Core.Scaling.Policies;

/// <summary>The KV form of a <see cref="ScalingPolicy"/>: every field, durations as Go duration strings ("1m30s").</summary>
internal sealed record ScalingPolicyDocument(
    string Kind,
    string Metric,
    double UpperRpm,
    double LowerRpm,
    int StepSize,
    double TargetRpm,
    double Tolerance,
    int Min,
    int Max,
    string EvaluationInterval,
    string ScaleUpCooldown,
    string ScaleDownCooldown,
    string ScaleDownStabilization);
