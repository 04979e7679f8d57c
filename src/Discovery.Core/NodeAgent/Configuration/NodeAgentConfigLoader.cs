using System.Net;
using System.Text.RegularExpressions;
using Discovery.Consul.Durations;
using Discovery.Core.Configuration;
using Discovery.Core.Deploying;
using Discovery.Core.Observability;
using Discovery.Core.Postgres.Configuration;

namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>
/// Loads a node agent config from JSON (.json) or YAML (.yaml/.yml) and validates all of it in one
/// pass, so an operator fixes every mistake in one edit instead of one per restart.
/// </summary>
public static partial class NodeAgentConfigLoader
{
    public const string DefaultDataDir = "/var/lib/discovery";
    public const string DefaultAdvertiseAddress = "127.0.0.1";
    public const string DefaultVersion = "0";

    /// <summary>Reads and validates a file; the format follows the extension.</summary>
    public static ConfigLoadResult LoadFile(string path)
    {
        var (config, errors) = ConfigDocument.LoadFile(path, Bind);
        return new ConfigLoadResult(config, errors);
    }

    /// <summary>Validates config text; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static ConfigLoadResult Load(string text, ConfigFormat format, string baseDirectory)
    {
        var (config, errors) = ConfigDocument.Load(text, format, baseDirectory, Bind);
        return new ConfigLoadResult(config, errors);
    }

    private static NodeAgentConfig Bind(ConfigMapReader root, string baseDirectory, List<ConfigError> errors)
    {
        var name = root.OptionalString("name") ?? DefaultNodeName();
        if (!NamePattern().IsMatch(name))
        {
            root.AddError("name", $"\"{name}\" is not a valid node name (letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }

        var consul = ConsulConnectionBinder.Bind(root.Map("consul"), baseDirectory);
        var dataDir = System.IO.Path.GetFullPath(root.OptionalString("dataDir") ?? DefaultDataDir, baseDirectory);

        var advertiseAddress = root.OptionalString("advertiseAddress") ?? DefaultAdvertiseAddress;
        if (!IPAddress.TryParse(advertiseAddress, out _))
        {
            root.AddError("advertiseAddress", $"\"{advertiseAddress}\" is not an IP address");
        }

        var apps = new List<AppConfig>();
        var appPaths = new List<string>();
        foreach (var (node, path) in root.Sequence("apps"))
        {
            if (node.Kind != ConfigNodeKind.Map)
            {
                errors.Add(new ConfigError(path, $"expected a map, got {node.Describe()}"));
                continue;
            }

            apps.Add(BindApp(new ConfigMapReader(node, path, errors)));
            appPaths.Add(path);
        }

        var postgres = PostgresConfigBinder.Bind(root.Map("postgres"), name, baseDirectory);
        if (apps.Count == 0 && postgres is null && root.Node("apps").Kind != ConfigNodeKind.Map)
        {
            root.AddError("apps", "at least one app (or a postgres section) is required");
        }

        CheckAcrossApps(apps, appPaths, errors);
        var monitoring = MonitoringConfigBinder.Bind(root.Map("monitoring"));
        root.ReportUnknownKeys();
        return new NodeAgentConfig(name, consul, dataDir, advertiseAddress, apps, postgres, monitoring);
    }

    private static AppConfig BindApp(ConfigMapReader app)
    {
        var name = app.RequiredString("name");
        if (name.Length > 0 && !NamePattern().IsMatch(name))
        {
            app.AddError("name", $"\"{name}\" is not a valid app name (letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }

        var version = app.OptionalString("version") ?? DefaultVersion;
        if (VersionName.Problem(version) is { } versionProblem)
        {
            app.AddError("version", versionProblem);
        }

        var artifacts = app.OptionalString("artifacts");
        if (artifacts is not null)
        {
            CheckArtifacts(app, artifacts);
        }

        var command = app.RequiredString("command");
        CheckPlaceholders(app, "command", command);

        var args = app.StringList("args");
        for (var i = 0; i < args.Count; i++)
        {
            CheckPlaceholders(app, $"args[{i}]", args[i]);
        }

        var env = app.StringMap("env");
        foreach (var (key, value) in env)
        {
            CheckPlaceholders(app, $"env.{key}", value);
        }

        var workingDir = app.OptionalString("workingDir");
        if (workingDir is not null)
        {
            CheckPlaceholders(app, "workingDir", workingDir);
        }

        var ports = new PortRange(0, -1);
        var portsText = app.RequiredString("ports");
        if (portsText.Length > 0)
        {
            if (PortRange.TryParse(portsText, out var parsed, out var error))
            {
                ports = parsed;
            }
            else
            {
                app.AddError("ports", error!);
            }
        }

        var health = BindHealth(app.Map("health"));
        var drainTimeout = app.Duration("drainTimeout", AppConfig.DefaultDrainTimeout);
        var stopTimeout = app.Duration("stopTimeout", AppConfig.DefaultStopTimeout);
        var restart = BindRestart(app.Map("restart"));
        var defaultInstances = (int)app.Integer("defaultInstances", AppConfig.DefaultDefaultInstances, 0, 10_000);
        if (ports.Count > 0 && defaultInstances > ports.Count)
        {
            app.AddError("defaultInstances", $"{defaultInstances} instances do not fit in ports {ports} ({ports.Count} ports)");
        }

        var logMaxBytes = app.Integer("logMaxBytes", AppConfig.DefaultLogMaxBytes, AppConfig.MinLogMaxBytes);
        var passEnv = AppIsolationBinder.BindPassEnv(app);
        var user = AppIsolationBinder.BindUser(app, Environment.IsPrivilegedProcess, AppIsolationBinder.PrimaryGroupInPasswd);
        app.ReportUnknownKeys();
        if (artifacts is null)
        {
            foreach (var (key, text) in new[] { ("command", command), ("workingDir", workingDir ?? "") }.Concat(args.Select((arg, i) => ($"args[{i}]", arg))).Concat(env.Select(pair => ($"env.{pair.Key}", pair.Value))))
            {
                if (Placeholders.Uses(text, Placeholders.Artifacts))
                {
                    app.AddError(key, "{artifacts} needs an artifacts folder (artifacts: /opt/<app>/{version})");
                }
            }
        }

        return new AppConfig(name, version, command, args, env, workingDir, ports, health, drainTimeout, stopTimeout, restart, defaultInstances, logMaxBytes, passEnv, user) { Artifacts = artifacts };
    }

    private static void CheckArtifacts(ConfigMapReader app, string artifacts)
    {
        if (!Path.IsPathRooted(artifacts))
        {
            app.AddError("artifacts", $"\"{artifacts}\" is not an absolute path");
        }

        if (!Placeholders.Uses(artifacts, Placeholders.Version))
        {
            app.AddError("artifacts", "needs a {version} placeholder: one folder per version");
        }

        foreach (var unknown in Placeholders.FindUnknown(artifacts).Concat(Placeholders.Known.Except(Placeholders.KnownInArtifacts).Where(name => Placeholders.Uses(artifacts, name))))
        {
            app.AddError("artifacts", $"placeholder {{{unknown}}} not allowed here (allowed: {string.Join(", ", Placeholders.KnownInArtifacts.Select(known => $"{{{known}}}"))})");
        }
    }

    private static HealthCheckConfig BindHealth(ConfigMapReader? health)
    {
        var defaults = HealthCheckConfig.Default;
        if (health is null)
        {
            return defaults;
        }

        var path = health.OptionalString("path") ?? defaults.Path;
        if (!path.StartsWith('/'))
        {
            health.AddError("path", $"\"{path}\" must start with '/'");
        }

        var result = new HealthCheckConfig(
            path,
            health.Duration("interval", defaults.Interval),
            health.Duration("timeout", defaults.Timeout),
            (int)health.Integer("failuresBeforeCritical", defaults.FailuresBeforeCritical, 1, 1000),
            (int)health.Integer("successBeforePassing", defaults.SuccessBeforePassing, 1, 1000));
        health.ReportUnknownKeys();
        return result;
    }

    private static RestartPolicyConfig BindRestart(ConfigMapReader? restart)
    {
        var defaults = RestartPolicyConfig.Default;
        if (restart is null)
        {
            return defaults;
        }

        var initial = restart.Duration("initialBackoff", defaults.InitialBackoff);
        var max = restart.Duration("maxBackoff", TimeSpan.FromTicks(Math.Max(defaults.MaxBackoff.Ticks, initial.Ticks)));
        if (max < initial)
        {
            restart.AddError("maxBackoff", $"{GoDuration.Format(max)} is less than initialBackoff {GoDuration.Format(initial)}");
        }

        var result = new RestartPolicyConfig(
            initial,
            max,
            (int)restart.Integer("maxRestarts", defaults.MaxRestarts, 1, 1000),
            restart.Duration("window", defaults.Window));
        restart.ReportUnknownKeys();
        return result;
    }

    private static void CheckPlaceholders(ConfigMapReader app, string key, string text)
    {
        foreach (var unknown in Placeholders.FindUnknown(text))
        {
            app.AddError(key, $"unknown placeholder {{{unknown}}} (known: {string.Join(", ", Placeholders.Known.Select(known => $"{{{known}}}"))}; write {{{{ and }}}} for literal braces)");
        }
    }

    private static void CheckAcrossApps(List<AppConfig> apps, List<string> paths, List<ConfigError> errors)
    {
        for (var i = 0; i < apps.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (apps[i].Name.Length > 0 && apps[i].Name == apps[j].Name)
                {
                    errors.Add(new ConfigError($"{paths[i]}.name", $"duplicate of {paths[j]}.name \"{apps[j].Name}\""));
                }

                if (apps[i].Ports.Count > 0 && apps[j].Ports.Count > 0 && apps[i].Ports.Overlaps(apps[j].Ports))
                {
                    errors.Add(new ConfigError($"{paths[i]}.ports", $"{apps[i].Ports} overlaps {paths[j]}.ports {apps[j].Ports}"));
                }
            }
        }
    }

    private static string DefaultNodeName()
    {
        // The short host name, like Consul's own default node name.
        var host = Dns.GetHostName();
        var dot = host.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? host[..dot] : host;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    internal static partial Regex NamePattern();
}
