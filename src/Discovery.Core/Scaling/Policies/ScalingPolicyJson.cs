using System.Text.Json;
using Discovery.Consul.Durations;
using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Scaling.Policies;

/// <summary>
/// The policy as stored in KV at <c>discovery/apps/&lt;app&gt;/policy</c>: camelCase JSON, durations
/// as Go duration strings.
/// <example><code>
/// {"kind":"step","upperRpm":100,"lowerRpm":50,"min":1,"max":10,"scaleDownCooldown":"1m0s"}
/// </code></example>
/// Reading goes through the config tree and <see cref="ScalingPolicyBinder"/>, exactly like the
/// config file, so the same bounds apply; fields left out keep the base policy's values, every
/// problem is reported with its path, and garbage yields an invalid result, never an exception
/// (the caller keeps its current policy).
/// </summary>
internal static class ScalingPolicyJson
{
    private const string Root = "policy";

    /// <summary>Parses <paramref name="json"/>; fields it leaves out come from <paramref name="basePolicy"/> (default <see cref="ScalingPolicy.Default"/>).</summary>
    public static ScalingPolicyParseResult Read(string? json, ScalingPolicy? basePolicy = null)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return ScalingPolicyParseResult.Invalid([new ConfigError(Root, "empty value")]);
        }

        var errors = new List<ConfigError>();
        var root = ConfigTreeReader.ReadJson(json, errors, Root);
        if (root is null)
        {
            return ScalingPolicyParseResult.Invalid(errors);
        }

        if (root.Kind != ConfigNodeKind.Map)
        {
            return ScalingPolicyParseResult.Invalid([new ConfigError(Root, $"must be a JSON object, got {root.Describe()}")]);
        }

        var policy = ScalingPolicyBinder.BindPolicy(new ConfigMapReader(root, Root, errors), basePolicy ?? ScalingPolicy.Default);
        return errors.Count == 0 ? ScalingPolicyParseResult.Valid(policy) : ScalingPolicyParseResult.Invalid(errors);
    }

    /// <summary>Writes every field, so the KV value shows the whole effective policy.</summary>
    public static string Write(ScalingPolicy policy) => JsonSerializer.Serialize(
        new ScalingPolicyDocument(
            policy.Kind == ScalingPolicyKind.Step ? "step" : "target",
            policy.Metric,
            policy.UpperRpm,
            policy.LowerRpm,
            policy.StepSize,
            policy.TargetRpm,
            policy.Tolerance,
            policy.Min,
            policy.Max,
            GoDuration.Format(policy.EvaluationInterval),
            GoDuration.Format(policy.ScaleUpCooldown),
            GoDuration.Format(policy.ScaleDownCooldown),
            GoDuration.Format(policy.ScaleDownStabilization)),
        ScalerJsonContext.Default.ScalingPolicyDocument);
}
