using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.Tests.TestSupport;

/// <summary>Configs for tests that run real shell commands, with short timings.</summary>
internal static class TestConfigs
{
    public static readonly RestartPolicyConfig FastRestart = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 3, TimeSpan.FromSeconds(30));

    public static AppConfig ShellApp(string script, PortRange? ports = null, TimeSpan? stopTimeout = null, RestartPolicyConfig? restart = null) =>
        new(
            "web",
            "1",
            "/bin/sh",
            ["-c", script, "app", "{port}", "{instance}"],
            new Dictionary<string, string> { ["APP_PORT"] = "{port}" },
            null,
            ports ?? new PortRange(19000, 19099),
            HealthCheckConfig.Default,
            TimeSpan.FromSeconds(1),
            stopTimeout ?? TimeSpan.FromSeconds(5),
            restart ?? FastRestart,
            1,
            AppConfig.DefaultLogMaxBytes,
            AppConfig.DefaultPassEnv,
            null);

    public static NodeAgentConfig Node(string dataDir, params AppConfig[] apps) =>
        new("n1", new ConsulConnectionConfig(ConsulConnectionConfig.DefaultAddress, null, null, null), dataDir, "127.0.0.1", apps);
}
