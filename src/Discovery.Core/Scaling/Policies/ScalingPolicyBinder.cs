using System.Text.Json;
using Discovery.Core.Configuration;

namespace Discovery.Core.Scaling.Policies;

/// <summary>
/// The one reader of a scaling policy: the scaler's config file (YAML or JSON, <c>apps[i].policy</c>)
/// and the operator's KV override (JSON, <see cref="ScalingPolicyJson"/>) both arrive as a config
/// tree and are bound here, so a policy has the same field names, bounds and messages wherever it
/// comes from, and moves between file and KV unchanged. Field names are the camelCase names of
/// <see cref="ScalingPolicy"/>'s properties, as the KV writer writes them.
/// </summary>
internal static class ScalingPolicyBinder
{
    /// <summary>Most instances (and largest step) a policy may name: beyond any fleet this scaler places.</summary>
    public const int MaxInstances = 10_000;

    /// <summary>The field name of a <see cref="ScalingPolicy"/> property (<c>nameof(ScalingPolicy.UpperRpm)</c> → <c>upperRpm</c>).</summary>
    public static string Key(string property) => JsonNamingPolicy.CamelCase.ConvertName(property);

    /// <summary>Binds <paramref name="map"/> over <paramref name="basePolicy"/>: fields left out keep its values; every problem goes to the map's error list with its path.</summary>
    public static ScalingPolicy BindPolicy(ConfigMapReader map, ScalingPolicy basePolicy)
    {
        var before = map.ErrorCount;
        var kind = map.OptionalString(Key(nameof(ScalingPolicy.Kind))) switch
        {
            null => basePolicy.Kind,
            "step" => ScalingPolicyKind.Step,
            "target" => ScalingPolicyKind.Target,
            var other => Invalid(map, nameof(ScalingPolicy.Kind), $"must be \"step\" or \"target\", got \"{other}\"", basePolicy.Kind),
        };
        var policy = new ScalingPolicy
        {
            Kind = kind,
            Metric = map.OptionalString(Key(nameof(ScalingPolicy.Metric))) ?? basePolicy.Metric,
            UpperRpm = map.Number(Key(nameof(ScalingPolicy.UpperRpm)), basePolicy.UpperRpm),
            LowerRpm = map.Number(Key(nameof(ScalingPolicy.LowerRpm)), basePolicy.LowerRpm),
            StepSize = (int)map.Integer(Key(nameof(ScalingPolicy.StepSize)), basePolicy.StepSize, 1, MaxInstances),
            TargetRpm = map.Number(Key(nameof(ScalingPolicy.TargetRpm)), basePolicy.TargetRpm),
            Tolerance = map.Number(Key(nameof(ScalingPolicy.Tolerance)), basePolicy.Tolerance),
            Min = (int)map.Integer(Key(nameof(ScalingPolicy.Min)), basePolicy.Min, 1, MaxInstances),
            Max = (int)map.Integer(Key(nameof(ScalingPolicy.Max)), basePolicy.Max, 1, MaxInstances),
            EvaluationInterval = map.Duration(Key(nameof(ScalingPolicy.EvaluationInterval)), basePolicy.EvaluationInterval),
            ScaleUpCooldown = map.Duration(Key(nameof(ScalingPolicy.ScaleUpCooldown)), basePolicy.ScaleUpCooldown, mustBePositive: false),
            ScaleDownCooldown = map.Duration(Key(nameof(ScalingPolicy.ScaleDownCooldown)), basePolicy.ScaleDownCooldown, mustBePositive: false),
            ScaleDownStabilization = map.Duration(Key(nameof(ScalingPolicy.ScaleDownStabilization)), basePolicy.ScaleDownStabilization, mustBePositive: false),
        };
        map.ReportUnknownKeys();

        // Cross-field rules (max ≥ min, upper > lower) only make sense once every field parsed:
        // a field that already failed would otherwise produce a second, misleading error.
        if (map.ErrorCount == before)
        {
            foreach (var error in policy.Validate())
            {
                map.AddError(error.Path, error.Message);
            }
        }

        return policy;
    }

    private static T Invalid<T>(ConfigMapReader map, string property, string message, T fallback)
    {
        map.AddError(Key(property), message);
        return fallback;
    }
}
