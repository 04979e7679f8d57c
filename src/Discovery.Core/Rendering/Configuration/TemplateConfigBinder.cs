using System.Globalization;
using Discovery.Core.Configuration;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>Binds the YAML/JSON forms of a template: an entry of <c>templates:</c>, or the single-template <c>template</c>/<c>output</c>/<c>nginx</c> form.</summary>
internal static class TemplateConfigBinder
{
    public static TemplateConfig? Bind(ConfigNode node, string path, string baseDirectory, List<ConfigError> errors)
    {
        if (node.Kind != ConfigNodeKind.Map)
        {
            errors.Add(new ConfigError(path, $"expected a map, got {node.Describe()}"));
            return null;
        }

        var map = new ConfigMapReader(node, path, errors);
        var source = ExistingFile(map, "source", baseDirectory);
        var destination = DestinationPath(map, "destination", baseDirectory);
        var perms = Perms(map, "perms", decimalNumbers: null);
        var check = Command(map, "check");
        var command = Command(map, "command");
        var timeout = map.Duration("commandTimeout", TemplateConfig.DefaultCommandTimeout);
        var nginx = map.Map("nginx") is { } nginxMap ? BindNginx(nginxMap, baseDirectory) : null;
        if (nginx is not null && (check is not null || command is not null))
        {
            map.AddError("nginx", "nginx gives this template its check (nginx -t) and command (reload); leave check and command out");
        }

        var peers = map.Map("peers") is { } peersMap ? BindPeers(peersMap, baseDirectory) : null;
        if (peers is not null && (nginx is not null || check is not null || command is not null))
        {
            map.AddError("peers", "a peer set is pushed to nginx, never checked or reloaded; leave nginx, check and command out");
        }

        var wait = map.Node("wait").Kind == ConfigNodeKind.Null ? null : RendererConfigLoader.BindWait(map.Map("wait"));
        var routed = map.Boolean("routed", fallback: true);
        map.ReportUnknownKeys();
        return new TemplateConfig(source, destination, perms, check, command, timeout, nginx, routed, CreateDestinationFolder: false, wait, peers);
    }

    /// <summary>The original single-template form: template, output, nginx at the top level.</summary>
    public static TemplateConfig BindSingle(ConfigMapReader root, string baseDirectory)
    {
        var source = ExistingFile(root, "template", baseDirectory);
        var destination = DestinationPath(root, "output", baseDirectory);
        if (root.Map("nginx") is { } nginxMap)
        {
            return TemplateConfig.ForNginx(source, destination, BindNginx(nginxMap, baseDirectory));
        }

        root.AddError("nginx", "required (binary, prefix, config)");
        return TemplateConfig.ForNginx(source, destination, new NginxControlConfig(NginxControlConfig.DefaultBinary, "", "", NginxControlConfig.DefaultReloadTimeout, ""));
    }

    public static void ReportDuplicateDestinations(ConfigMapReader root, string key, IReadOnlyList<TemplateConfig> templates)
    {
        foreach (var duplicate in templates.GroupBy(template => template.Destination, StringComparer.Ordinal).Where(group => group.Count() > 1))
        {
            root.AddError(key, $"{duplicate.Key} is the destination of {duplicate.Count()} templates");
        }
    }

    public static NginxControlConfig BindNginx(ConfigMapReader nginx, string baseDirectory)
    {
        var binary = Path.GetFullPath(nginx.OptionalString("binary") ?? NginxControlConfig.DefaultBinary, baseDirectory);
        if (!File.Exists(binary))
        {
            nginx.AddError("binary", $"{binary} does not exist");
        }

        var prefix = RequiredPath(nginx, "prefix", baseDirectory);
        if (prefix.Length > 0 && !Directory.Exists(prefix))
        {
            nginx.AddError("prefix", $"{prefix} does not exist");
        }

        var config = ExistingFile(nginx, "config", baseDirectory);
        var reloadTimeout = nginx.Duration("reloadTimeout", NginxControlConfig.DefaultReloadTimeout);
        var pidFileText = nginx.OptionalString("pidFile");
        var pidFile = pidFileText is null ? NginxControlConfig.DefaultPidFile(prefix) : Path.GetFullPath(pidFileText, baseDirectory);
        nginx.ReportUnknownKeys();
        return new NginxControlConfig(binary, prefix, config, reloadTimeout, pidFile);
    }

    /// <summary>A template's <c>peers:</c> map: where nginx's peer endpoint is, its secret, nginx's pid file.</summary>
    public static PeerPushConfig BindPeers(ConfigMapReader peers, string baseDirectory)
    {
        // Loopback only: the endpoint replaces what nginx routes to, and the secret travels in clear.
        var endpointText = peers.RequiredString("endpoint");
        Uri? endpoint = null;
        if (endpointText.Length > 0 && !(Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) && endpoint.Scheme == "http"
                                         && System.Net.IPAddress.TryParse(endpoint.IdnHost, out var host) && System.Net.IPAddress.IsLoopback(host)))
        {
            peers.AddError("endpoint", $"\"{endpointText}\" is not an http:// address on a loopback IP (e.g. http://127.0.0.1:8091/discovery/peers)");
        }

        var secretFile = ExistingFile(peers, "secretFile", baseDirectory);
        var pidFile = RequiredPath(peers, "pidFile", baseDirectory);
        var requestTimeout = peers.Duration("requestTimeout", PeerPushConfig.DefaultRequestTimeout);
        var verifyInterval = peers.Duration("verifyInterval", PeerPushConfig.DefaultVerifyInterval);
        peers.ReportUnknownKeys();
        return new PeerPushConfig(endpoint ?? new Uri("http://127.0.0.1/"), secretFile, pidFile, requestTimeout, verifyInterval);
    }

    /// <summary>A command as a string (run by sh -c when it has spaces) or a list of arguments.</summary>
    public static CommandLine? Command(ConfigMapReader map, string key)
    {
        var node = map.Node(key);
        switch (node.Kind)
        {
            case ConfigNodeKind.Null:
                return null;
            case ConfigNodeKind.Scalar when !string.IsNullOrWhiteSpace(node.Scalar):
                return new CommandLine([node.Scalar!]);
            case ConfigNodeKind.Sequence:
                var arguments = map.StringList(key);
                if (arguments.Count == 0 || string.IsNullOrWhiteSpace(arguments[0]))
                {
                    map.AddError(key, "needs at least the program to run");
                    return null;
                }

                return new CommandLine(arguments);
            default:
                map.AddError(key, $"expected a command (text or a list of arguments), got {node.Describe()}");
                return null;
        }
    }

    /// <summary>
    /// File mode. Text is octal ("0644", "644"); a scalar in <paramref name="decimalNumbers"/> is the
    /// mode's value, as HCL reads <c>perms = 0644</c> (an octal literal) as the number 420.
    /// </summary>
    public static UnixFileMode? Perms(ConfigMapReader map, string key, IReadOnlySet<ConfigNode>? decimalNumbers)
    {
        var node = map.Node(key);
        if (node.Kind == ConfigNodeKind.Null)
        {
            return null;
        }

        var text = map.OptionalString(key)?.Trim();
        if (text is null)
        {
            return null;
        }

        var isNumber = decimalNumbers?.Contains(node) == true;
        long value = 0;
        var parsed = isNumber
            ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value)
            : text.Length > 0 && text.All(c => c is >= '0' and <= '7') && (value = Convert.ToInt64(text, 8)) >= 0;
        if (!parsed || value > 0xFFF)
        {
            map.AddError(key, $"\"{text}\" is not a file mode (octal, e.g. 0644)");
            return null;
        }

        return (UnixFileMode)value;
    }

    public static string ExistingFile(ConfigMapReader map, string key, string baseDirectory)
    {
        var path = RequiredPath(map, key, baseDirectory);
        if (path.Length > 0 && !File.Exists(path))
        {
            map.AddError(key, $"{path} does not exist");
        }

        return path;
    }

    private static string DestinationPath(ConfigMapReader map, string key, string baseDirectory)
    {
        var path = RequiredPath(map, key, baseDirectory);
        if (path.Length > 0 && !Directory.Exists(Path.GetDirectoryName(path)))
        {
            map.AddError(key, $"folder {Path.GetDirectoryName(path)} does not exist");
        }

        return path;
    }

    private static string RequiredPath(ConfigMapReader map, string key, string baseDirectory)
    {
        var text = map.RequiredString(key);
        return text.Length == 0 ? "" : Path.GetFullPath(text, baseDirectory);
    }
}
