using Discovery.Consul;
using Discovery.Consul.Durations;
using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Configuration.Hcl;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// Reads consul-template's own HCL config, the subset a renderer needs (<c>consul { address,
/// token, token_file, retry { … } }</c>, <c>wait</c>, <c>log_level</c>, and <c>template { source,
/// destination, perms, command, command_timeout, exec { command, timeout }, create_dest_dirs,
/// wait, error_on_missing_key = false }</c>), so one file drives both. Every other consul-template
/// option is reported by name as not supported, and an unknown key as unknown, all at once with
/// their paths. As consul-template does, relative paths resolve against the working directory,
/// and the Consul address and token fall back to CONSUL_HTTP_ADDR / CONSUL_HTTP_TOKEN(_FILE).
/// Discovery's own settings (load balancer name, lb registration, nginx) are not consul-template
/// options — consul-template rejects unknown keys — so they stay in the YAML, which can import
/// this file (<c>consulTemplateConfig:</c>).
/// </summary>
public static class ConsulTemplateConfigLoader
{
    private static readonly string[] UnsupportedTopLevel =
    [
        "vault", "nomad", "exec", "deduplicate", "default_delimiters", "kill_signal", "reload_signal", "log_file", "max_stale",
        "pid_file", "syslog", "template_error_fatal", "block_query_wait", "err_on_failed_lookup", "auth", "ssl", "env",
    ];

    private static readonly string[] UnsupportedConsul = ["namespace", "auth", "ssl", "transport"];

    private static readonly string[] UnsupportedTemplate =
    [
        "contents", "backup", "error_fatal", "user", "uid", "group", "gid", "left_delimiter", "right_delimiter",
        "function_denylist", "function_blacklist", "sandbox_path",
    ];

    private static readonly string[] UnsupportedExec = ["enabled", "env", "kill_signal", "kill_timeout", "reload_signal", "splay"];

    public static RendererConfigLoadResult LoadFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            return Load(File.ReadAllText(fullPath), Directory.GetCurrentDirectory());
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return new RendererConfigLoadResult(null, [new ConfigError("", $"cannot read {fullPath}: {error.Message}")]);
        }
    }

    /// <summary>Validates HCL text; relative paths resolve against <paramref name="workingDirectory"/>.</summary>
    public static RendererConfigLoadResult Load(string text, string workingDirectory)
    {
        HclDocument document;
        try
        {
            document = HclParser.Parse(text);
        }
        catch (HclSyntaxException error)
        {
            return new RendererConfigLoadResult(null, [new ConfigError("", $"not valid HCL: {error.Message}")]);
        }

        var errors = new List<ConfigError>();
        var config = Bind(new ConfigMapReader(document.Root, "", errors), document.Numbers, workingDirectory, errors);
        return errors.Count == 0 ? new RendererConfigLoadResult(config, []) : new RendererConfigLoadResult(null, errors);
    }

    private static RendererConfig Bind(ConfigMapReader root, IReadOnlySet<ConfigNode> numbers, string workingDirectory, List<ConfigError> errors)
    {
        ReportUnsupported(root, UnsupportedTopLevel);
        var (consul, retry) = BindConsul(root, Single(root, "consul"));
        var wait = BindWait(root);
        var logLevel = BindLogLevel(root);
        var templates = new List<TemplateConfig>();
        var templateNode = root.Node("template");
        var entries = templateNode.Kind switch
        {
            ConfigNodeKind.Map => [(templateNode, "template[0]")],
            ConfigNodeKind.Sequence => templateNode.Items.Select((item, index) => (item, ConfigPath.Index("template", index))).ToList(),
            ConfigNodeKind.Null => [],
            _ => [],
        };
        if (templateNode.Kind == ConfigNodeKind.Scalar)
        {
            root.AddError("template", $"expected a block, got {templateNode.Describe()}");
        }
        else if (entries.Count == 0)
        {
            root.AddError("template", "at least one template { source = …, destination = … } is required");
        }

        foreach (var (node, path) in entries)
        {
            if (node.Kind != ConfigNodeKind.Map)
            {
                errors.Add(new ConfigError(path, $"expected a block, got {node.Describe()}"));
                continue;
            }

            templates.Add(BindTemplate(new ConfigMapReader(node, path, errors), numbers, workingDirectory));
        }

        TemplateConfigBinder.ReportDuplicateDestinations(root, "template", templates);
        root.ReportUnknownKeys();
        return new RendererConfig(null, consul, retry, DiscoveryKeys.DefaultPrefix, wait, templates, null, Catalog.OutageGuard.DefaultSettle, logLevel);
    }

    private static TemplateConfig BindTemplate(ConfigMapReader template, IReadOnlySet<ConfigNode> numbers, string workingDirectory)
    {
        ReportUnsupported(template, UnsupportedTemplate);
        var source = TemplateConfigBinder.ExistingFile(template, "source", workingDirectory);
        var destinationText = template.RequiredString("destination");
        var destination = destinationText.Length == 0 ? "" : Path.GetFullPath(destinationText, workingDirectory);
        var perms = TemplateConfigBinder.Perms(template, "perms", numbers);
        var createFolders = template.Boolean("create_dest_dirs", fallback: true);
        if (!createFolders && destination.Length > 0 && !Directory.Exists(Path.GetDirectoryName(destination)))
        {
            template.AddError("destination", $"folder {Path.GetDirectoryName(destination)} does not exist (and create_dest_dirs is false)");
        }

        if (template.Boolean("error_on_missing_key", fallback: false))
        {
            template.AddError("error_on_missing_key", "not supported by agent render: a missing map key always renders as the zero value (consul-template's default, false)");
        }

        var command = TemplateConfigBinder.Command(template, "command");
        var timeout = template.Duration("command_timeout", TemplateConfig.DefaultCommandTimeout);
        if (Single(template, "exec") is { } exec)
        {
            ReportUnsupported(exec, UnsupportedExec);
            if (command is not null)
            {
                template.AddError("exec", "give either command or exec { command }, not both");
            }

            command = TemplateConfigBinder.Command(exec, "command");
            timeout = exec.Duration("timeout", TemplateConfig.DefaultCommandTimeout, mustBePositive: false);
            timeout = timeout == TimeSpan.Zero ? TemplateConfig.DefaultCommandTimeout : timeout;
            exec.ReportUnknownKeys();
        }

        // A template's own quiescence (consul-template's template-level wait); absent = the global one.
        var wait = template.Node("wait").Kind == ConfigNodeKind.Null ? null : BindWait(template);
        template.ReportUnknownKeys();
        return new TemplateConfig(source, destination, perms, Check: null, command, timeout, Nginx: null, Routed: true, createFolders, wait);
    }

    private static (ConsulConnectionConfig Consul, ConsulRetryConfig Retry) BindConsul(ConfigMapReader root, ConfigMapReader? consul)
    {
        var retry = ConsulRetryConfig.Default;
        string? address = null, token = null, tokenFile = null;
        if (consul is not null)
        {
            ReportUnsupported(consul, UnsupportedConsul);
            address = consul.OptionalString("address");
            token = consul.OptionalString("token");
            tokenFile = consul.OptionalString("token_file");
            if (token is not null && tokenFile is not null)
            {
                consul.AddError("token_file", "give either token or token_file, not both");
            }

            if (Single(consul, "retry") is { } retryMap)
            {
                if (!retryMap.Boolean("enabled", fallback: true))
                {
                    retryMap.AddError("enabled", "not supported by agent render: it always retries (and keeps the last good output meanwhile)");
                }

                if (retryMap.Integer("attempts", 0, 0) != 0)
                {
                    retryMap.AddError("attempts", "not supported by agent render: it never gives up on Consul; use 0 (unlimited)");
                }

                var backoff = retryMap.Duration("backoff", ConsulRetryConfig.Default.Backoff);
                var maxBackoff = retryMap.Duration("max_backoff", ConsulRetryConfig.Default.MaxBackoff, mustBePositive: false);
                retry = new ConsulRetryConfig(backoff, maxBackoff == TimeSpan.Zero ? TimeSpan.FromMinutes(1) : maxBackoff);
                retryMap.ReportUnknownKeys();
            }

            consul.ReportUnknownKeys();
        }

        // As consul-template: what the file does not say comes from the Consul CLI's variables.
        var https = string.Equals(Variable("CONSUL_HTTP_SSL"), "true", StringComparison.OrdinalIgnoreCase);
        address ??= Variable("CONSUL_HTTP_ADDR");
        if (token is null && tokenFile is null)
        {
            token = Variable("CONSUL_HTTP_TOKEN");
            tokenFile = token is null ? Variable("CONSUL_HTTP_TOKEN_FILE") : null;
        }

        var uri = ConsulConnectionConfig.DefaultAddress;
        if (address is not null)
        {
            try
            {
                uri = ConsulClientOptions.ParseAddress(address, https);
            }
            catch (ArgumentException)
            {
                (consul is null ? root : consul).AddError(consul is null ? "consul" : "address", $"\"{address}\" is not a Consul address (host:port or http(s)://host:port)");
            }
        }

        return (new ConsulConnectionConfig(uri, token, tokenFile is null ? null : Path.GetFullPath(tokenFile), null, Variable("CONSUL_CACERT")), retry);
    }

    /// <summary>wait { min, max } or consul-template's "min[:max]" string (max defaults to 4 × min).</summary>
    private static QuiescenceWait BindWait(ConfigMapReader root)
    {
        var node = root.Node("wait");
        if (node.Kind != ConfigNodeKind.Scalar)
        {
            return node.Kind == ConfigNodeKind.Null ? QuiescenceWait.Default : RendererConfigLoader.BindWait(Single(root, "wait"));
        }

        var parts = node.Scalar!.Split(':');
        if (parts.Length <= 2 && GoDuration.TryParse(parts[0].Trim(), out var min)
            && (parts.Length == 1 || GoDuration.TryParse(parts[1].Trim(), out _)))
        {
            var max = parts.Length == 1 ? min * 4 : GoDuration.TryParse(parts[1].Trim(), out var given) ? given : min;
            if (max >= min)
            {
                return new QuiescenceWait(min, max);
            }
        }

        root.AddError("wait", $"\"{node.Scalar}\" is not \"min\" or \"min:max\" (durations, max ≥ min)");
        return QuiescenceWait.Default;
    }

    private static LogLevel? BindLogLevel(ConfigMapReader root)
    {
        var text = root.OptionalString("log_level");
        LogLevel? level = text?.Trim().ToLowerInvariant() switch
        {
            null => null,
            "trace" => LogLevel.Trace,
            "debug" => LogLevel.Debug,
            "info" => LogLevel.Information,
            "warn" or "warning" => LogLevel.Warning,
            "err" or "error" => LogLevel.Error,
            _ => LogLevel.None,
        };
        if (level == LogLevel.None)
        {
            root.AddError("log_level", $"\"{text}\" is not one of trace, debug, info, warn, err");
            return null;
        }

        return level;
    }

    /// <summary>A block that may appear once: repeating it is a mistake (consul-template would fail to decode it too).</summary>
    private static ConfigMapReader? Single(ConfigMapReader parent, string key)
    {
        if (parent.Node(key).Kind == ConfigNodeKind.Sequence)
        {
            parent.AddError(key, "given more than once");
            return null;
        }

        return parent.Map(key);
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    private static void ReportUnsupported(ConfigMapReader map, string[] keys)
    {
        foreach (var key in keys)
        {
            if (map.Node(key).Kind != ConfigNodeKind.Null)
            {
                map.AddError(key, "consul-template option not supported by agent render");
            }
        }
    }
}
