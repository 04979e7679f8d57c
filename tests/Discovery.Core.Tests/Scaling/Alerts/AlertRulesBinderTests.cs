using Discovery.Core.Configuration;
using Discovery.Core.Scaling.Alerts;
using Discovery.Core.Scaling.Configuration;

namespace Discovery.Core.Tests.Scaling.Alerts;

public sealed class AlertRulesBinderTests
{
    [Fact]
    public void Load_AlertsAndMonitoring_BindsEveryField()
    {
        var result = ScalerConfigLoader.Load("""
            apps: [{ name: web }]
            monitoring: { listen: "127.0.0.21:9471" }
            alerts:
              - { name: cpu, signal: instance-cpu, app: web, above: 80, for: 1m, webhook: "http://127.0.0.5:9099/alerts" }
              - { name: lb, signal: renderer-failing, webhook: "http://127.0.0.5:9099/alerts" }
            """, ConfigFormat.Yaml, "/etc/discovery");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("127.0.0.21:9471", result.Config!.Monitoring!.Address);
        Assert.Equal(
            [
                new AlertRule("cpu", AlertSignal.InstanceCpu, "web", 80, TimeSpan.FromMinutes(1), new Uri("http://127.0.0.5:9099/alerts")),
                new AlertRule("lb", AlertSignal.RendererFailing, null, 0, TimeSpan.FromSeconds(30), new Uri("http://127.0.0.5:9099/alerts")),
            ],
            result.Config.Alerts);
    }

    [Fact]
    public void Load_BadAlertsAndMonitoring_ListsEveryProblemWithItsPath()
    {
        var result = ScalerConfigLoader.Load("""
            apps: [{ name: web }]
            monitoring: { listen: "localhost:x", extra: 1 }
            alerts:
              - { name: a, signal: cpu, webhook: "ftp://x" }
              - { name: a, signal: instance-rss, webhook: "http://127.0.0.1:1/" }
              - 7
            """, ConfigFormat.Yaml, "/etc/discovery");

        Assert.False(result.IsValid);
        var errors = result.Errors.Select(error => error.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("monitoring.listen", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("monitoring.extra", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("alerts[0].signal", StringComparison.Ordinal) && e.Contains("instance-cpu", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("alerts[0].webhook", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("alerts[1].name", StringComparison.Ordinal) && e.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("alerts[1].app", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("alerts[1].above", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("alerts[2]", StringComparison.Ordinal));
    }
}
