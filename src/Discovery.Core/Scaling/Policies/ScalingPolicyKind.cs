namespace Discovery.Core.Scaling.Policies;

/// <summary>How a policy turns a metric into an instance count.</summary>
internal enum ScalingPolicyKind
{
    /// <summary>Add or remove a fixed step when the per-instance rate leaves the [lower, upper] band.</summary>
    Step,

    /// <summary>Size the fleet so each instance carries about the target rate.</summary>
    Target,
}
