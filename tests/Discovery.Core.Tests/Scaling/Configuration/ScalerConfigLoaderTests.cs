using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Configuration;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Tests.Scaling.Configuration;

public sealed class ScalerConfigLoaderTests
{
    private const string Example = """
        node: scaler1
        consul: { address: "http://127.0.0.1:8500", tokenFile: token.txt, datacenter: dc1 }
        prefix: discovery
        metrics: { scrapeInterval: 5s, window: 60s }
        lock: { checkTtl: 2s, lockDelay: 1s }
        apps:
          - name: web
            policy: { kind: step, upperRpm: 100, lowerRpm: 50, min: 1, max: 10, evaluationInterval: 10s,
                      scaleUpCooldown: 30s, scaleDownCooldown: 60s, scaleDownStabilization: 120s }
          - name: api
            policy: { kind: target, targetRpm: 40, tolerance: 0.2, max: 3 }
        """;

    [Fact]
    public void Load_BriefExample_BindsEveryField()
    {
        var result = ScalerConfigLoader.Load(Example, ConfigFormat.Yaml, "/etc/discovery");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var config = result.Config!;
        Assert.Equal("scaler1", config.Node);
        Assert.Equal("/etc/discovery/token.txt", config.Consul.TokenFile);
        Assert.Equal("dc1", config.Consul.Datacenter);
        Assert.Equal("discovery", config.Prefix);
        Assert.Equal(new ScalerMetricsConfig(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), ScalerMetricsConfig.Default.HttpTimeout), config.Metrics);
        Assert.Equal(new ScalerLockConfig(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), config.Lock);
        Assert.Equal(["web", "api"], config.Apps.Select(a => a.Name));
        Assert.Equal(ScalingPolicy.Default with { Max = 10 }, config.Apps[0].Policy);
        Assert.Equal(ScalingPolicy.Default with { Kind = ScalingPolicyKind.Target, TargetRpm = 40, Tolerance = 0.2, Max = 3 }, config.Apps[1].Policy);
    }

    [Fact]
    public void Load_ShippedExampleFile_IsValid()
    {
        var path = Path.Combine(Discovery.Testing.Tools.ToolPaths.RepoRoot, "src", "Discovery.Core", "Scaling", "Configuration", "scaler.example.yaml");

        var result = ScalerConfigLoader.LoadFile(path);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Theory]
    [InlineData("apps: []", "apps", "at least one app")]
    [InlineData("apps: [{ name: web, policy: { min: 3, max: 2 } }]", "apps[0].policy.max", "must be ≥ min (3)")]
    [InlineData("apps: [{ name: web, policy: { upperRpm: 10, lowerRpm: 20 } }]", "apps[0].policy.upperRpm", "greater than lowerRpm")]
    [InlineData("apps: [{ name: web, policy: { kind: magic } }]", "apps[0].policy.kind", "\"step\" or \"target\"")]
    [InlineData("apps: [{ name: web, policy: { scaleUpCooldown: soon } }]", "apps[0].policy.scaleUpCooldown", "not a duration")]
    [InlineData("apps: [{ name: web, policy: { upperRpm: lots } }]", "apps[0].policy.upperRpm", "not a number")]
    [InlineData("apps: [{ name: web, policy: { maxx: 3 } }]", "apps[0].policy.maxx", "did you mean \"max\"")]
    [InlineData("apps: [{ name: web }, { name: web }]", "apps[1].name", "duplicate of apps[0].name")]
    [InlineData("apps: [{ policy: {} }]", "apps[0].name", "required")]
    [InlineData("metrics: { scrapeInterval: 10s, window: 15s }\napps: [{ name: web }]", "metrics.window", "twice scrapeInterval")]
    [InlineData("lock: { checkTtl: 0s }\napps: [{ name: web }]", "lock.checkTtl", "greater than 0")]
    [InlineData("consul: { address: ftp://x }\napps: [{ name: web }]", "consul.address", "not an http")]
    [InlineData("nodes: x\napps: [{ name: web }]", "nodes", "did you mean \"node\"")]
    public void Load_InvalidField_ReportsErrorWithPath(string yaml, string path, string message)
    {
        var result = ScalerConfigLoader.Load(yaml, ConfigFormat.Yaml, "/tmp");

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Path == path && e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SeveralMistakes_ReportsAllInOnePass()
    {
        var result = ScalerConfigLoader.Load("prefix: \"\"\napps: [{ name: web, policy: { min: 0, evaluationInterval: x } }]", ConfigFormat.Yaml, "/tmp");

        Assert.Equal(["apps[0].policy.evaluationInterval", "apps[0].policy.min", "prefix"], result.Errors.Select(e => e.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_Json_SameBinder()
    {
        var result = ScalerConfigLoader.Load("""{"node":"s1","apps":[{"name":"web","policy":{"max":4}}]}""", ConfigFormat.Json, "/tmp");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(4, result.Config!.Apps[0].Policy.Max);
    }
}
