using System.Net;
using Discovery.Core.Configuration;
using Discovery.Core.Observability;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// Loads a renderer config: consul-template's HCL (<c>.hcl</c>, see <see cref="ConsulTemplateConfigLoader"/>)
/// or Discovery's YAML/JSON, with the shared config tree reader and binder, so every mistake is
/// reported at once with its path. In YAML, relative paths resolve against the file's folder.
/// The YAML names the templates in one of three ways: <c>templates:</c> (a list),
/// <c>consulTemplateConfig:</c> (the templates, wait and retry of a consul-template HCL file, so
/// both renderers read one file), or the single-template form <c>template</c> + <c>output</c> +
/// <c>nginx</c>.
/// </summary>
public static class RendererConfigLoader
{
    /// <summary>Reads and validates a file; the format follows the extension (.hcl, .json, .yaml, .yml).</summary>
    public static RendererConfigLoadResult LoadFile(string path)
    {
        if (string.Equals(Path.GetExtension(path), ".hcl", StringComparison.OrdinalIgnoreCase))
        {
            return ConsulTemplateConfigLoader.LoadFile(path);
        }

        var (config, errors) = ConfigDocument.LoadFile(path, Bind);
        return new RendererConfigLoadResult(config, errors);
    }

    /// <summary>Validates config text; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static RendererConfigLoadResult Load(string text, ConfigFormat format, string baseDirectory)
    {
        var (config, errors) = ConfigDocument.Load(text, format, baseDirectory, Bind);
        return new RendererConfigLoadResult(config, errors);
    }

    private static RendererConfig Bind(ConfigMapReader root, string baseDirectory, List<ConfigError> errors)
    {
        var name = root.RequiredString("name");
        if (name.Length > 0 && !NodeAgentConfigLoader.NamePattern().IsMatch(name))
        {
            root.AddError("name", $"\"{name}\" is not a valid name (letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }

        var hasConsul = root.Node("consul").Kind != ConfigNodeKind.Null;
        var consul = ConsulConnectionBinder.Bind(root.Map("consul"), baseDirectory);
        var prefix = (root.OptionalString("prefix") ?? DiscoveryKeys.DefaultPrefix).Trim('/');
        if (prefix.Length == 0)
        {
            root.AddError("prefix", "must not be empty");
        }

        var settle = root.Duration("outageSettle", Catalog.OutageGuard.DefaultSettle, mustBePositive: false);
        var wait = root.Node("wait").Kind == ConfigNodeKind.Null ? null : BindWait(root.Map("wait"));
        var retry = ConsulRetryConfig.Default;
        IReadOnlyList<TemplateConfig> templates = [];
        var sources = new[] { "template", "templates", "consulTemplateConfig" }.Where(key => root.Node(key).Kind != ConfigNodeKind.Null).ToList();
        if (sources.Count > 1)
        {
            root.AddError(sources[1], $"give one of template (with output and nginx), templates or consulTemplateConfig, not {string.Join(" and ", sources)}");
        }
        else if (sources.Count == 0)
        {
            root.AddError("templates", "required: a list of templates (or consulTemplateConfig, or template with output and nginx)");
        }
        else if (sources[0] == "templates")
        {
            templates = [.. root.Sequence("templates").Select(item => TemplateConfigBinder.Bind(item.Node, item.Path, baseDirectory, errors)).OfType<TemplateConfig>()];
            if (templates.Count == 0 && errors.Count == 0)
            {
                root.AddError("templates", "at least one template is required");
            }
        }
        else if (sources[0] == "template")
        {
            templates = [TemplateConfigBinder.BindSingle(root, baseDirectory)];
        }
        else
        {
            var imported = ImportConsulTemplateConfig(root, baseDirectory);
            if (imported is not null)
            {
                templates = imported.Templates;
                retry = imported.Retry;
                wait ??= imported.Wait;
                consul = hasConsul ? consul : imported.Consul;
            }
        }

        foreach (var legacy in new[] { "output", "nginx" })
        {
            // Read even when not used, so a conflict above is not also reported as unknown keys.
            if (root.Node(legacy).Kind != ConfigNodeKind.Null && sources.Count == 1 && sources[0] != "template")
            {
                root.AddError(legacy, "only with the single-template form (template, output, nginx); in templates, give nginx per template");
            }
        }

        TemplateConfigBinder.ReportDuplicateDestinations(root, sources.FirstOrDefault() ?? "templates", templates);
        var register = BindRegister(root.Map("register"));
        var monitoring = MonitoringConfigBinder.Bind(root.Map("monitoring"));
        root.ReportUnknownKeys();
        return new RendererConfig(name, consul, retry, prefix, wait ?? QuiescenceWait.Default, templates, register, settle, LogLevel: null, monitoring);
    }

    /// <summary>consulTemplateConfig: the HCL's templates, wait and retry; its errors are reported under this key.</summary>
    private static RendererConfig? ImportConsulTemplateConfig(ConfigMapReader root, string baseDirectory)
    {
        var path = Path.GetFullPath(root.RequiredString("consulTemplateConfig"), baseDirectory);
        if (!File.Exists(path))
        {
            root.AddError("consulTemplateConfig", $"{path} does not exist");
            return null;
        }

        var imported = ConsulTemplateConfigLoader.LoadFile(path);
        foreach (var error in imported.Errors)
        {
            root.AddError("consulTemplateConfig", $"{path}: {error}");
        }

        return imported.Config;
    }

    internal static QuiescenceWait BindWait(ConfigMapReader? wait)
    {
        if (wait is null)
        {
            return QuiescenceWait.Default;
        }

        var min = wait.Duration("min", QuiescenceWait.Default.Min, mustBePositive: false);
        var max = wait.Duration("max", QuiescenceWait.Default.Max, mustBePositive: false);
        if (max < min)
        {
            wait.AddError("max", $"must be at least min ({min.TotalMilliseconds} ms)");
        }

        wait.ReportUnknownKeys();
        return new QuiescenceWait(min, max);
    }

    private static LoadBalancerRegistrationConfig? BindRegister(ConfigMapReader? register)
    {
        if (register is null)
        {
            return null;
        }

        var address = register.RequiredString("address");
        if (address.Length > 0 && !IPAddress.TryParse(address, out _))
        {
            register.AddError("address", $"\"{address}\" is not an IP address");
        }

        var port = (int)register.Integer("port", 0, 1, 65535);
        if (register.Node("port").Kind == ConfigNodeKind.Null)
        {
            register.AddError("port", "required");
        }

        var stubStatusUrl = register.RequiredString("stubStatusUrl");
        if (stubStatusUrl.Length > 0 && !(Uri.TryCreate(stubStatusUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            register.AddError("stubStatusUrl", $"\"{stubStatusUrl}\" is not an http:// or https:// address");
        }

        register.ReportUnknownKeys();
        return new LoadBalancerRegistrationConfig(address, port, stubStatusUrl);
    }
}
