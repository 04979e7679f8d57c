using System.Net;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.Rendering.Configuration;

/// <summary>
/// Loads a renderer config (YAML or JSON) with the node agent's config tree reader and binder, so
/// every mistake is reported at once with its path. Relative paths resolve against the file's folder.
/// </summary>
public static class RendererConfigLoader
{
    public const string DefaultPrefix = "discovery";

    /// <summary>Reads and validates a file; the format follows the extension (.json, .yaml, .yml).</summary>
    public static RendererConfigLoadResult LoadFile(string path)
    {
        var (config, errors) = ConfigDocument.LoadFile(path, (root, baseDirectory, _) => Bind(root, baseDirectory));
        return new RendererConfigLoadResult(config, errors);
    }

    /// <summary>Validates config text; relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    public static RendererConfigLoadResult Load(string text, ConfigFormat format, string baseDirectory)
    {
        var (config, errors) = ConfigDocument.Load(text, format, baseDirectory, (root, baseDirectory, _) => Bind(root, baseDirectory));
        return new RendererConfigLoadResult(config, errors);
    }

    private static RendererConfig Bind(ConfigMapReader root, string baseDirectory)
    {
        var name = root.RequiredString("name");
        if (name.Length > 0 && !NodeAgentConfigLoader.NamePattern().IsMatch(name))
        {
            root.AddError("name", $"\"{name}\" is not a valid name (letters, digits, '.', '_', '-'; starting with a letter or digit)");
        }

        var consul = NodeAgentConfigLoader.BindConsul(root.Map("consul"), baseDirectory);
        var prefix = (root.OptionalString("prefix") ?? DefaultPrefix).Trim('/');
        if (prefix.Length == 0)
        {
            root.AddError("prefix", "must not be empty");
        }

        var template = RequiredPath(root, "template", baseDirectory);
        if (template.Length > 0 && !File.Exists(template))
        {
            root.AddError("template", $"{template} does not exist");
        }

        var output = RequiredPath(root, "output", baseDirectory);
        if (output.Length > 0 && !Directory.Exists(Path.GetDirectoryName(output)))
        {
            root.AddError("output", $"folder {Path.GetDirectoryName(output)} does not exist");
        }

        var wait = BindWait(root.Map("wait"));
        var nginx = BindNginx(root.Map("nginx"), root, baseDirectory);
        var register = BindRegister(root.Map("register"));
        var peers = BindPeers(root.Map("peers"), baseDirectory);
        root.ReportUnknownKeys();
        return new RendererConfig(name, consul, prefix, template, output, wait, nginx, register, peers);
    }

    private static QuiescenceWait BindWait(ConfigMapReader? wait, QuiescenceWait? defaults = null)
    {
        defaults ??= QuiescenceWait.Default;
        if (wait is null)
        {
            return defaults;
        }

        var min = wait.Duration("min", defaults.Min, mustBePositive: false);
        var max = wait.Duration("max", defaults.Max, mustBePositive: false);
        if (max < min)
        {
            wait.AddError("max", $"must be at least min ({min.TotalMilliseconds} ms)");
        }

        wait.ReportUnknownKeys();
        return new QuiescenceWait(min, max);
    }

    private static NginxControlConfig BindNginx(ConfigMapReader? nginx, ConfigMapReader root, string baseDirectory)
    {
        if (nginx is null)
        {
            root.AddError("nginx", "required (binary, prefix, config)");
            return new NginxControlConfig(NginxControlConfig.DefaultBinary, "", "", NginxControlConfig.DefaultReloadTimeout, "");
        }

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

        var config = RequiredPath(nginx, "config", baseDirectory);
        if (config.Length > 0 && !File.Exists(config))
        {
            nginx.AddError("config", $"{config} does not exist");
        }

        var reloadTimeout = nginx.Duration("reloadTimeout", NginxControlConfig.DefaultReloadTimeout);
        var pidFileText = nginx.OptionalString("pidFile");
        var pidFile = pidFileText is null ? NginxControlConfig.DefaultPidFile(prefix) : Path.GetFullPath(pidFileText, baseDirectory);
        nginx.ReportUnknownKeys();
        return new NginxControlConfig(binary, prefix, config, reloadTimeout, pidFile);
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

    private static PeerTargetConfig? BindPeers(ConfigMapReader? peers, string baseDirectory)
    {
        if (peers is null)
        {
            return null;
        }

        var template = RequiredPath(peers, "template", baseDirectory);
        if (template.Length > 0 && !File.Exists(template))
        {
            peers.AddError("template", $"{template} does not exist");
        }

        var output = RequiredPath(peers, "output", baseDirectory);
        if (output.Length > 0 && !Directory.Exists(Path.GetDirectoryName(output)))
        {
            peers.AddError("output", $"folder {Path.GetDirectoryName(output)} does not exist");
        }

        // Loopback only: the endpoint replaces what nginx routes to, and the secret travels in clear.
        var endpointText = peers.RequiredString("endpoint");
        Uri? endpoint = null;
        if (endpointText.Length > 0 && !(Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) && endpoint.Scheme == "http"
                                         && IPAddress.TryParse(endpoint.IdnHost, out var host) && IPAddress.IsLoopback(host)))
        {
            peers.AddError("endpoint", $"\"{endpointText}\" is not an http:// address on a loopback IP (e.g. http://127.0.0.1:8091/discovery/peers)");
        }

        var secretFile = RequiredPath(peers, "secretFile", baseDirectory);
        if (secretFile.Length > 0 && !File.Exists(secretFile))
        {
            peers.AddError("secretFile", $"{secretFile} does not exist");
        }

        var wait = BindWait(peers.Map("wait"), PeerTargetConfig.DefaultWait);
        var requestTimeout = peers.Duration("requestTimeout", PeerTargetConfig.DefaultRequestTimeout);
        var verifyInterval = peers.Duration("verifyInterval", PeerTargetConfig.DefaultVerifyInterval);
        peers.ReportUnknownKeys();
        return new PeerTargetConfig(template, output, endpoint ?? new Uri("http://127.0.0.1/"), secretFile, wait, requestTimeout, verifyInterval);
    }

    private static string RequiredPath(ConfigMapReader map, string key, string baseDirectory)
    {
        var text = map.RequiredString(key);
        return text.Length == 0 ? "" : Path.GetFullPath(text, baseDirectory);
    }
}
