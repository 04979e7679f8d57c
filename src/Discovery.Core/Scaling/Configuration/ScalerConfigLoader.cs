using System.Net;
using System.Text.RegularExpressions;
using Discovery.Core.Configuration;
using Discovery.Core.Observability;
using Discovery.Core.Scaling.Alerts;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Configuration;

/// <summary>
/// Loads a scaler config from JSON or YAML with the node agent's tree reader and binder, so both
/// report every error in one pass with the same paths and messages.
/// </summary>
internal static partial class ScalerConfigLoader
{
    public static ScalerConfigLoadResult LoadFile(string path)
    {
        var (config, errors) = ConfigDocument.LoadFile(path, Bind);
        return new ScalerConfigLoadResult(config, errors);
    }

    /// <summary>Validates config text; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static ScalerConfigLoadResult Load(string text, ConfigFormat format, string baseDirectory)
    {
        var (config, errors) = ConfigDocument.Load(text, format, baseDirectory, Bind);
        return new ScalerConfigLoadResult(config, errors);
    }

    private static ScalerConfig Bind(ConfigMapReader root, string baseDirectory, List<ConfigError> errors)
    {
        var node = root.OptionalString("node") ?? Dns.GetHostName().Split('.')[0];
        if (!NamePattern().IsMatch(node))
        {
            root.AddError("node", $"\"{node}\" is not a valid node name (letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }

        var consul = ConsulConnectionBinder.Bind(root.Map("consul"), baseDirectory);
        var prefix = (root.OptionalString("prefix") ?? DiscoveryKeys.DefaultPrefix).Trim('/');
        if (prefix.Length == 0 || prefix.Contains("//", StringComparison.Ordinal))
        {
            root.AddError("prefix", "must be a non-empty KV path such as \"discovery\"");
        }

        var metrics = BindMetrics(root.Map("metrics"));
        var lockConfig = BindLock(root.Map("lock"));

        var apps = new List<ScalerAppConfig>();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var items = root.Sequence("apps");
        foreach (var (item, path) in items)
        {
            if (item.Kind != ConfigNodeKind.Map)
            {
                errors.Add(new ConfigError(path, $"expected a map, got {item.Describe()}"));
                continue;
            }

            var app = BindApp(new ConfigMapReader(item, path, errors));
            if (app.Name.Length > 0 && !paths.TryAdd(app.Name, path))
            {
                errors.Add(new ConfigError($"{path}.name", $"duplicate of {paths[app.Name]}.name \"{app.Name}\""));
            }

            apps.Add(app);
        }

        if (items.Count == 0 && root.Node("apps").Kind is ConfigNodeKind.Null or ConfigNodeKind.Sequence)
        {
            root.AddError("apps", "at least one app is required");
        }

        var monitoring = MonitoringConfigBinder.Bind(root.Map("monitoring"));
        var alerts = AlertRulesBinder.Bind(root.Sequence("alerts"), errors);
        root.ReportUnknownKeys();
        return new ScalerConfig(node, consul, prefix, metrics, lockConfig, apps, monitoring, alerts);
    }

    private static ScalerMetricsConfig BindMetrics(ConfigMapReader? metrics)
    {
        var defaults = ScalerMetricsConfig.Default;
        if (metrics is null)
        {
            return defaults;
        }

        var result = new ScalerMetricsConfig(
            metrics.Duration("scrapeInterval", defaults.ScrapeInterval),
            metrics.Duration("window", defaults.Window),
            metrics.Duration("httpTimeout", defaults.HttpTimeout));
        if (result.Window < result.ScrapeInterval * 2)
        {
            metrics.AddError("window", "must be at least twice scrapeInterval (a rate needs two samples)");
        }

        metrics.ReportUnknownKeys();
        return result;
    }

    private static ScalerLockConfig BindLock(ConfigMapReader? lockMap)
    {
        if (lockMap is null)
        {
            return ScalerLockConfig.Default;
        }

        TimeSpan? Optional(string key, bool positive) =>
            lockMap.OptionalString(key) is null ? null : lockMap.Duration(key, TimeSpan.Zero, positive);

        var result = new ScalerLockConfig(Optional("checkTtl", positive: true), Optional("lockDelay", positive: false));
        lockMap.ReportUnknownKeys();
        return result;
    }

    private static ScalerAppConfig BindApp(ConfigMapReader app)
    {
        var name = app.RequiredString("name");
        if (name.Length > 0 && !NamePattern().IsMatch(name))
        {
            app.AddError("name", $"\"{name}\" is not a valid app name (letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }

        var policyMap = app.Map("policy");
        var policy = policyMap is null ? ScalingPolicy.Default : ScalingPolicyBinder.BindPolicy(policyMap, ScalingPolicy.Default);
        app.ReportUnknownKeys();
        return new ScalerAppConfig(name, policy);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
