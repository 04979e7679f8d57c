using Discovery.Core.Configuration;

namespace Discovery.Core.Scaling.Policies;

/// <summary>A parsed policy, or every problem found (each with its JSON path). Never both.</summary>
internal sealed record ScalingPolicyParseResult
{
    private ScalingPolicyParseResult(ScalingPolicy? policy, IReadOnlyList<ConfigError> errors)
    {
        Policy = policy;
        Errors = errors;
    }

    public ScalingPolicy? Policy { get; }

    public IReadOnlyList<ConfigError> Errors { get; }

    public bool IsValid => Policy is not null;

    public static ScalingPolicyParseResult Valid(ScalingPolicy policy) => new(policy, []);

    public static ScalingPolicyParseResult Invalid(IReadOnlyList<ConfigError> errors) =>
        errors.Count == 0
            ? throw new ArgumentException("An invalid result needs at least one error.", nameof(errors))
            : new(null, errors);
}
