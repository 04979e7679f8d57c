using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.NodeAgent.Supervision;

/// <summary>An app instance gets an explicit environment and, with <c>user:</c>, its own Unix user (issue 12, finding 3).</summary>
public sealed class InstanceEnvironmentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string> AgentEnvironment = new()
    {
        ["PATH"] = "/usr/bin:/bin",
        ["LANG"] = "C.UTF-8",
        ["HOME"] = "/root",
        ["CONSUL_HTTP_TOKEN"] = "agent-secret",
        ["CONSUL_HTTP_ADDR"] = "http://127.0.0.1:8500",
        ["EXTRA"] = "allowed-only-by-name",
    };

    private static InstanceSpec Spec(AppConfig app) => InstanceSpec.Create(TestConfigs.Node("/srv/n1", app), app, 19005);

    public static TheoryData<string[], Dictionary<string, string>, Dictionary<string, string>> Environments => new()
    {
        {
            // The defaults: what a typical app needs, none of the agent's secrets.
            ["PATH", "LANG", "LC_ALL", "TZ"], new() { ["APP_PORT"] = "{port}" },
            new()
            {
                ["PATH"] = "/usr/bin:/bin", ["LANG"] = "C.UTF-8", ["APP_PORT"] = "19005", ["DISCOVERY_APP"] = "web", ["DISCOVERY_NODE"] = "n1",
                ["DISCOVERY_INSTANCE"] = "web-n1-19005", ["DISCOVERY_PORT"] = "19005", ["DISCOVERY_ADDRESS"] = "127.0.0.1",
                ["DISCOVERY_FLAGS_FILE"] = "/srv/n1/flags/web.json", // the agent's own value: the app's feature flags (issue 16)
            }
        },
        {
            // Nothing passed: only the app's env and the agent's own values.
            [], new() { ["GREETING"] = "hi {node}" },
            new()
            {
                ["GREETING"] = "hi n1", ["DISCOVERY_APP"] = "web", ["DISCOVERY_NODE"] = "n1", ["DISCOVERY_INSTANCE"] = "web-n1-19005",
                ["DISCOVERY_PORT"] = "19005", ["DISCOVERY_ADDRESS"] = "127.0.0.1",
                ["DISCOVERY_FLAGS_FILE"] = "/srv/n1/flags/web.json", // the agent's own value: the app's feature flags (issue 16)
            }
        },
        {
            // A named variable passes; the app's env overrides it; the agent's own values win over the app's env.
            ["EXTRA", "HOME", "NOT_SET"], new() { ["HOME"] = "/srv/web", ["DISCOVERY_PORT"] = "1" },
            new()
            {
                ["EXTRA"] = "allowed-only-by-name", ["HOME"] = "/srv/web", ["DISCOVERY_APP"] = "web", ["DISCOVERY_NODE"] = "n1",
                ["DISCOVERY_INSTANCE"] = "web-n1-19005", ["DISCOVERY_PORT"] = "19005", ["DISCOVERY_ADDRESS"] = "127.0.0.1",
                ["DISCOVERY_FLAGS_FILE"] = "/srv/n1/flags/web.json", // the agent's own value: the app's feature flags (issue 16)
            }
        },
    };

    [Theory]
    [MemberData(nameof(Environments))]
    public void ToLaunchSpec_AgentEnvironment_OnlyTheAllowListAppEnvAndAgentValues(string[] passEnv, Dictionary<string, string> appEnv, Dictionary<string, string> expected)
    {
        var app = TestConfigs.ShellApp("exec sleep 1") with { PassEnv = passEnv, Env = appEnv };

        var launch = Spec(app).ToLaunchSpec(name => AgentEnvironment.GetValueOrDefault(name));

        Assert.False(launch.InheritEnvironment);
        Assert.Equal(expected.OrderBy(pair => pair.Key), launch.Environment.OrderBy(pair => pair.Key));
    }

    [Fact]
    public void ToLaunchSpec_User_RunsTheCommandThroughSetprivAsThatUser()
    {
        var app = TestConfigs.ShellApp("exec sleep 1") with { User = new AppUser("webapp", 997) };

        var launch = Spec(app).ToLaunchSpec(_ => null);

        Assert.Equal("/usr/bin/setpriv", launch.Command);
        Assert.Equal(["--reuid=webapp", "--regid=997", "--init-groups", "--", "/bin/sh", "-c", "exec sleep 1", "app", "19005", "web-n1-19005"], launch.Args);
    }

    public static TheoryData<string, bool, bool, string?> Users => new()
    {
        { "webapp", true, true, null },
        { "webapp", false, true, "user: running instances as \"webapp\" needs the node agent to run as root (it drops to that user with setpriv)" },
        { "webapp", true, false, "user: no such user \"webapp\" on this machine" },
        { "../etc", true, true, "user: \"../etc\" is not a valid Unix user name" },
    };

    [Theory]
    [MemberData(nameof(Users))]
    public void BindUser_RootAndPasswd_ErrorOnlyWhenTheUserCannotBeTaken(string user, bool isRoot, bool exists, string? expected)
    {
        var (bound, errors) = ConfigDocument.Load($"user: \"{user}\"\n", ConfigFormat.Yaml, "/",
            (root, _, _) => AppIsolationBinder.BindUser(root, isRoot, _ => exists ? 997 : null)?.Name ?? "");

        Assert.Equal(expected, errors.Select(error => error.ToString()).SingleOrDefault());
        Assert.Equal(expected is null ? user : null, bound);
    }

    [Fact]
    public async Task Launch_UserNobodyAsRoot_RealChildRunsAsNobodyAndCannotReadTheAgentsToken()
    {
        if (!Environment.IsPrivilegedProcess || OperatingSystem.IsWindows())
        {
            return; // Only root can change user; CI and the labs' node agents run as root.
        }

        using var scope = new ProcessTestScope();
        var token = scope.PathOf("agent.token");
        File.WriteAllText(token, "agent-secret\n");
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var app = TestConfigs.ShellApp($"id -u; cat {token} || echo token-unreadable; exec sleep 30") with { User = new AppUser("nobody", 65534) };
        var spec = InstanceSpec.Create(TestConfigs.Node(scope.Directory, app), app, 19007);
        using var process = scope.Track(new SetsidProcessLauncher(TimeProvider.System).Launch(spec.ToLaunchSpec()));

        await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("logs/web-n1-19007.log", "token-unreadable"), Patience, "the instance tried to read the token");

        var printed = File.ReadAllLines(scope.PathOf("logs/web-n1-19007.log"));
        Assert.Equal("65534", printed[0]);
        Assert.DoesNotContain("agent-secret", printed);
        Assert.Equal(process.Identity.Pid, ProcessIdentity.TryReadProcessGroup(process.Identity.Pid)); // setpriv exec'd in place: still the group leader
    }

    [Fact]
    public void PrimaryGroupInPasswd_RootAndAStranger_GidOrNull()
    {
        Assert.Equal(0, AppIsolationBinder.PrimaryGroupInPasswd("root"));
        Assert.Null(AppIsolationBinder.PrimaryGroupInPasswd("no-such-user-" + Environment.ProcessId));
    }

    [Fact]
    public async Task Launch_SecretInTheAgentsEnvironment_RealChildNeverSeesIt()
    {
        // A variable only this test sets in its own process (a CONSUL_HTTP_TOKEN here would reach
        // other tests' children that still inherit), read by a real child through /usr/bin/env.
        var secretName = "DISCOVERY_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretName, "agent-only");
        try
        {
            using var scope = new ProcessTestScope();
            var app = TestConfigs.ShellApp("env; exec sleep 30") with { PassEnv = ["PATH"] };
            var spec = InstanceSpec.Create(TestConfigs.Node(scope.Directory, app), app, 19006);
            using var process = scope.Track(new SetsidProcessLauncher(TimeProvider.System).Launch(spec.ToLaunchSpec()));

            await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("logs/web-n1-19006.log", "DISCOVERY_INSTANCE=web-n1-19006"), Patience, "the instance printed its environment");

            var printed = File.ReadAllLines(scope.PathOf("logs/web-n1-19006.log"));
            Assert.DoesNotContain(printed, line => line.Contains(secretName, StringComparison.Ordinal));
            Assert.Contains("APP_PORT=19006", printed);
            Assert.Contains($"PATH={Environment.GetEnvironmentVariable("PATH")}", printed);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secretName, null);
        }
    }
}
