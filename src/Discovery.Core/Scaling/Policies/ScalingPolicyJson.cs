using System.Globalization;
using System.Text;
using System.Text.Json;
using Discovery.Consul.Durations;

namespace Discovery.Core.Scaling.Policies;

/// <summary>
/// Reads and writes a <see cref="ScalingPolicy"/> as camelCase JSON, the form stored in KV at
/// <c>discovery/apps/&lt;app&gt;/policy</c>. Durations are Go duration strings ("30s", "1m30s").
/// <example><code>
/// {"kind":"step","upperRpm":100,"lowerRpm":50,"min":1,"max":10,"scaleDownCooldown":"1m0s"}
/// </code></example>
/// Fields left out keep the base policy's values, so an override may name only what it changes.
/// Reading collects every problem (wrong type, unknown field, invalid value) with its path
/// instead of stopping at the first: an operator fixing a KV value should see all of them at once.
/// Garbage yields an invalid result, never an exception, so the caller keeps its current policy.
/// </summary>
internal static class ScalingPolicyJson
{
    private const string Root = "policy";

    private static readonly string[] FieldNames =
    [
        "kind", "metric", "upperRpm", "lowerRpm", "stepSize", "targetRpm", "tolerance", "min", "max",
        "evaluationInterval", "scaleUpCooldown", "scaleDownCooldown", "scaleDownStabilization",
    ];

    /// <summary>Parses <paramref name="json"/>; fields it leaves out come from <paramref name="basePolicy"/> (default <see cref="ScalingPolicy.Default"/>).</summary>
    public static ScalingPolicyParseResult Read(string? json, ScalingPolicy? basePolicy = null)
    {
        var policy = basePolicy ?? ScalingPolicy.Default;
        if (string.IsNullOrWhiteSpace(json))
        {
            return ScalingPolicyParseResult.Invalid([$"{Root}: empty value"]);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return ScalingPolicyParseResult.Invalid([$"{Root}: not valid JSON: {e.Message}"]);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ScalingPolicyParseResult.Invalid([$"{Root}: must be a JSON object, got {Describe(document.RootElement)}"]);
            }

            var errors = new List<string>();
            var badFields = new HashSet<string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var name = property.Name;
                var path = $"{Root}.{name}";
                if (!seen.Add(name))
                {
                    errors.Add($"{path}: appears more than once");
                    badFields.Add(name);
                    continue;
                }

                string? error = null;
                var value = property.Value;
                switch (name)
                {
                    case "kind":
                        if (ReadString(value, out var kind, out error))
                        {
                            switch (kind)
                            {
                                case "step":
                                    policy = policy with { Kind = ScalingPolicyKind.Step };
                                    break;
                                case "target":
                                    policy = policy with { Kind = ScalingPolicyKind.Target };
                                    break;
                                default:
                                    error = $"must be \"step\" or \"target\", got \"{kind}\"";
                                    break;
                            }
                        }

                        break;
                    case "metric":
                        if (ReadString(value, out var metric, out error))
                        {
                            policy = policy with { Metric = metric };
                        }

                        break;
                    case "upperRpm":
                        if (ReadNumber(value, out var upper, out error))
                        {
                            policy = policy with { UpperRpm = upper };
                        }

                        break;
                    case "lowerRpm":
                        if (ReadNumber(value, out var lower, out error))
                        {
                            policy = policy with { LowerRpm = lower };
                        }

                        break;
                    case "stepSize":
                        if (ReadInteger(value, out var step, out error))
                        {
                            policy = policy with { StepSize = step };
                        }

                        break;
                    case "targetRpm":
                        if (ReadNumber(value, out var target, out error))
                        {
                            policy = policy with { TargetRpm = target };
                        }

                        break;
                    case "tolerance":
                        if (ReadNumber(value, out var tolerance, out error))
                        {
                            policy = policy with { Tolerance = tolerance };
                        }

                        break;
                    case "min":
                        if (ReadInteger(value, out var min, out error))
                        {
                            policy = policy with { Min = min };
                        }

                        break;
                    case "max":
                        if (ReadInteger(value, out var max, out error))
                        {
                            policy = policy with { Max = max };
                        }

                        break;
                    case "evaluationInterval":
                        if (ReadDuration(value, out var interval, out error))
                        {
                            policy = policy with { EvaluationInterval = interval };
                        }

                        break;
                    case "scaleUpCooldown":
                        if (ReadDuration(value, out var upCooldown, out error))
                        {
                            policy = policy with { ScaleUpCooldown = upCooldown };
                        }

                        break;
                    case "scaleDownCooldown":
                        if (ReadDuration(value, out var downCooldown, out error))
                        {
                            policy = policy with { ScaleDownCooldown = downCooldown };
                        }

                        break;
                    case "scaleDownStabilization":
                        if (ReadDuration(value, out var stabilization, out error))
                        {
                            policy = policy with { ScaleDownStabilization = stabilization };
                        }

                        break;
                    default:
                        var suggestion = FieldNames.FirstOrDefault(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase));
                        error = suggestion is null
                            ? $"unknown field (known: {string.Join(", ", FieldNames)})"
                            : $"unknown field (did you mean \"{suggestion}\"?)";
                        break;
                }

                if (error is not null)
                {
                    errors.Add($"{path}: {error}");
                    badFields.Add(name);
                }
            }

            errors.AddRange(policy.Validate(badFields));
            return errors.Count == 0 ? ScalingPolicyParseResult.Valid(policy) : ScalingPolicyParseResult.Invalid(errors);
        }
    }

    /// <summary>Writes every field, so the KV value shows the whole effective policy.</summary>
    public static string Write(ScalingPolicy policy)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", policy.Kind == ScalingPolicyKind.Step ? "step" : "target");
            writer.WriteString("metric", policy.Metric);
            writer.WriteNumber("upperRpm", policy.UpperRpm);
            writer.WriteNumber("lowerRpm", policy.LowerRpm);
            writer.WriteNumber("stepSize", policy.StepSize);
            writer.WriteNumber("targetRpm", policy.TargetRpm);
            writer.WriteNumber("tolerance", policy.Tolerance);
            writer.WriteNumber("min", policy.Min);
            writer.WriteNumber("max", policy.Max);
            writer.WriteString("evaluationInterval", GoDuration.Format(policy.EvaluationInterval));
            writer.WriteString("scaleUpCooldown", GoDuration.Format(policy.ScaleUpCooldown));
            writer.WriteString("scaleDownCooldown", GoDuration.Format(policy.ScaleDownCooldown));
            writer.WriteString("scaleDownStabilization", GoDuration.Format(policy.ScaleDownStabilization));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static bool ReadString(JsonElement value, out string result, out string? error)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            result = value.GetString()!;
            error = null;
            return true;
        }

        result = string.Empty;
        error = $"must be a string, got {Describe(value)}";
        return false;
    }

    private static bool ReadNumber(JsonElement value, out double result, out string? error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out result) && double.IsFinite(result))
        {
            error = null;
            return true;
        }

        result = 0;
        error = $"must be a number, got {Describe(value)}";
        return false;
    }

    private static bool ReadInteger(JsonElement value, out int result, out string? error)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out result))
        {
            error = null;
            return true;
        }

        result = 0;
        error = $"must be a whole number, got {Describe(value)}";
        return false;
    }

    private static bool ReadDuration(JsonElement value, out TimeSpan result, out string? error)
    {
        result = TimeSpan.Zero;
        if (value.ValueKind != JsonValueKind.String)
        {
            error = $"must be a duration string like \"30s\" or \"1m30s\", got {Describe(value)}";
            return false;
        }

        if (GoDuration.TryParse(value.GetString(), out result, out var parseError))
        {
            error = null;
            return true;
        }

        error = parseError;
        return false;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"\"{value.GetString()}\"",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
