using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Tests.Scaling.Policies;

public sealed class ScalingPolicyJsonTests
{
    [Fact]
    public void Read_EmptyObject_ReturnsBasePolicy()
    {
        var result = ScalingPolicyJson.Read("{}");
        Assert.Equal(ScalingPolicy.Default, result.Policy);
    }

    [Fact]
    public void Read_EveryField_SetsEveryField()
    {
        const string json = """
            {"kind":"target","metric":"cpu","upperRpm":200,"lowerRpm":20,"stepSize":2,"targetRpm":75.5,
             "tolerance":0.2,"min":2,"max":8,"evaluationInterval":"15s","scaleUpCooldown":"1m",
             "scaleDownCooldown":"2m30s","scaleDownStabilization":"5m"}
            """;
        var expected = new ScalingPolicy
        {
            Kind = ScalingPolicyKind.Target,
            Metric = "cpu",
            UpperRpm = 200,
            LowerRpm = 20,
            StepSize = 2,
            TargetRpm = 75.5,
            Tolerance = 0.2,
            Min = 2,
            Max = 8,
            EvaluationInterval = TimeSpan.FromSeconds(15),
            ScaleUpCooldown = TimeSpan.FromMinutes(1),
            ScaleDownCooldown = TimeSpan.FromSeconds(150),
            ScaleDownStabilization = TimeSpan.FromMinutes(5),
        };

        var result = ScalingPolicyJson.Read(json);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.Policy);
    }

    [Fact]
    public void Read_PartialOverride_KeepsBasePolicyForMissingFields()
    {
        var basePolicy = ScalingPolicy.Default with { Max = 4, UpperRpm = 300, LowerRpm = 100 };
        var result = ScalingPolicyJson.Read("""{"max":6}""", basePolicy);
        Assert.Equal(basePolicy with { Max = 6 }, result.Policy);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Write_Policy_ReadsBackEqual(int index)
    {
        var policy = WrittenPolicies[index];
        var result = ScalingPolicyJson.Read(ScalingPolicyJson.Write(policy));
        Assert.Empty(result.Errors);
        Assert.Equal(policy, result.Policy);
    }

    private static readonly ScalingPolicy[] WrittenPolicies =
    [
        ScalingPolicy.Default,
        ScalingPolicy.Default with { Kind = ScalingPolicyKind.Target, TargetRpm = 33.3, Tolerance = 0 },
        ScalingPolicy.Default with { ScaleDownCooldown = TimeSpan.FromMilliseconds(1500), ScaleDownStabilization = TimeSpan.Zero },
        ScalingPolicy.Default with { Min = 3, Max = 3, LowerRpm = 0.5, UpperRpm = 0.75 },
    ];

    [Fact]
    public void Write_DefaultPolicy_UsesCamelCaseAndGoDurations()
    {
        var json = ScalingPolicyJson.Write(ScalingPolicy.Default);
        Assert.Contains("\"kind\": \"step\"", json, StringComparison.Ordinal);
        Assert.Contains("\"scaleDownCooldown\": \"1m0s\"", json, StringComparison.Ordinal);
        Assert.Contains("\"evaluationInterval\": \"10s\"", json, StringComparison.Ordinal);
    }

    /// <summary>Each row: KV value, and every error expected (joined by " | "), in the config file's words (one binder).</summary>
    [Theory]
    [InlineData("", "policy: empty value")]
    [InlineData("not json", "policy: not valid JSON")]
    [InlineData("{\"min\":1,", "policy: not valid JSON")]
    [InlineData("[1,2]", "policy: must be a JSON object, got a list")]
    [InlineData("42", "policy: must be a JSON object, got \"42\"")]
    [InlineData("{\"min\":0}", "policy.min: 0 is outside 1-10000")]
    [InlineData("{\"min\":-1,\"max\":-2}", "policy.min: -1 is outside 1-10000 | policy.max: -2 is outside 1-10000")]
    [InlineData("{\"min\":5,\"max\":3}", "policy.max: must be ≥ min (5)")]
    [InlineData("{\"max\":50000}", "policy.max: 50000 is outside 1-10000")]
    [InlineData("{\"min\":1.5}", "policy.min: \"1.5\" is not a number")]
    [InlineData("{\"upperRpm\":50,\"lowerRpm\":50}", "policy.upperRpm: must be greater than lowerRpm (50)")]
    [InlineData("{\"upperRpm\":40,\"lowerRpm\":50}", "policy.upperRpm: must be greater than lowerRpm (50)")]
    [InlineData("{\"upperRpm\":\"lots\"}", "policy.upperRpm: \"lots\" is not a number")]
    [InlineData("{\"lowerRpm\":-1}", "policy.lowerRpm: must be ≥ 0")]
    [InlineData("{\"stepSize\":0}", "policy.stepSize: 0 is outside 1-10000")]
    [InlineData("{\"kind\":\"target\",\"targetRpm\":0}", "policy.targetRpm: must be > 0")]
    [InlineData("{\"kind\":\"target\",\"tolerance\":1}", "policy.tolerance: must be ≥ 0 and < 1")]
    [InlineData("{\"kind\":\"target\",\"tolerance\":-0.1}", "policy.tolerance: must be ≥ 0 and < 1")]
    [InlineData("{\"kind\":\"linear\"}", "policy.kind: must be \"step\" or \"target\", got \"linear\"")]
    [InlineData("{\"kind\":[1]}", "policy.kind: expected text, got a list")]
    [InlineData("{\"metric\":\"\"}", "policy.metric: must not be empty")]
    [InlineData("{\"evaluationInterval\":\"0s\"}", "policy.evaluationInterval: must be greater than 0")]
    [InlineData("{\"evaluationInterval\":\"100ns\"}", "policy.evaluationInterval: must be at least 1s")]
    [InlineData("{\"evaluationInterval\":\"999ms\"}", "policy.evaluationInterval: must be at least 1s")]
    [InlineData("{\"evaluationInterval\":30}", "policy.evaluationInterval: \"30\" is not a duration")]
    [InlineData("{\"scaleUpCooldown\":\"30 seconds\"}", "policy.scaleUpCooldown: \"30 seconds\" is not a duration")]
    [InlineData("{\"scaleDownCooldown\":\"-1m\"}", "policy.scaleDownCooldown: must not be negative")]
    [InlineData("{\"scaleDownStabilization\":\"-5m\"}", "policy.scaleDownStabilization: must not be negative")]
    [InlineData("{\"maxx\":3}", "policy.maxx: unknown key (did you mean \"max\"?)")]
    [InlineData("{\"Min\":3}", "policy.Min: unknown key (did you mean \"min\"?)")]
    [InlineData("{\"min\":2,\"min\":3}", "policy.min: duplicate key")]
    [InlineData(
        "{\"min\":0,\"max\":\"ten\",\"upperRpm\":10,\"lowerRpm\":20,\"scaleUpCooldown\":\"soon\",\"colour\":\"red\"}",
        "policy.min: 0 is outside 1-10000 | policy.max: \"ten\" is not a number | policy.scaleUpCooldown: \"soon\" is not a duration | policy.colour: unknown key")]
    public void Read_InvalidPolicy_ReportsEveryProblemWithItsPath(string json, string expectedErrors)
    {
        var result = ScalingPolicyJson.Read(json);

        Assert.False(result.IsValid);
        Assert.Null(result.Policy);
        var expected = expectedErrors.Split(" | ");
        Assert.True(expected.Length == result.Errors.Count, string.Join(" | ", result.Errors));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.StartsWith(expected[i], result.Errors[i].ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>One binder: the same policy map gives the same errors from KV JSON and from the scaler's YAML file.</summary>
    [Theory]
    [InlineData("{ \"max\": 50000 }")]
    [InlineData("{ \"min\": 5, \"max\": 3 }")]
    [InlineData("{ \"stepSize\": 0, \"upperRpm\": \"x\" }")]
    [InlineData("{ \"kind\": \"target\", \"tolerance\": 2 }")]
    [InlineData("{ \"scaleDownCooldown\": \"soon\", \"colour\": \"red\" }")]
    public void Read_SamePolicyFromKvAndFile_SameErrors(string policy)
    {
        var fromKv = ScalingPolicyJson.Read(policy).Errors.Select(error => (error.Path["policy".Length..], error.Message));
        var fromFile = ScalerConfigLoader.Load($"apps:\n  - name: web\n    policy: {policy}\n", ConfigFormat.Yaml, "/tmp").Errors
            .Select(error => (error.Path["apps[0].policy".Length..], error.Message));

        Assert.NotEmpty(fromKv);
        Assert.Equal(fromFile, fromKv);
    }

    [Fact]
    public void Read_TargetPolicyWithBadStepFields_IgnoresFieldsItDoesNotUse()
    {
        var result = ScalingPolicyJson.Read("""{"kind":"target","upperRpm":10,"lowerRpm":20}""");
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }
}
