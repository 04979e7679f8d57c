using System.Globalization;
using System.Text;

namespace Discovery.Core.Lab;

/// <summary>
/// The ONE place that knows the lab's files: the shared repository files it uses by path (unchanged,
/// the same ones the VM lab uses) and every file it generates under the state folder (Consul flags
/// and private secrets, tokens, node.yaml, scaler.yaml, renderer.yaml, nginx listen includes, the
/// nginx prefix's Lua code and peer push secret, operator.env).
/// </summary>
internal sealed class LabConfigFiles(LabOptions options, LabTopology topology)
{
    public const string ServerConfig = "consul/server.hcl";
    public const string ClientConfig = "consul/client.hcl";
    public const string NginxConfig = "nginx-templates/nginx.conf";
    public const string UpstreamsTemplate = "nginx-templates/upstreams.ctmpl";
    public const string PeersTemplate = "nginx-templates/peers.ctmpl";

    /// <summary>The Lua balancer and peer endpoint, copied whole to the nginx prefix's <c>lua/</c>.</summary>
    public const string NginxLua = "nginx-templates/lua";

    /// <summary>The alert receiver's file in the state folder.</summary>
    public const string AlertsFileName = "alerts.jsonl";

    /// <summary>ACL policy name → shared policy file (`discovery-&lt;file name&gt;`, as consul/README.md says).</summary>
    public static readonly IReadOnlyDictionary<string, string> AclPolicies = new Dictionary<string, string>
    {
        ["discovery-node-agent"] = "consul/acl/node-agent.hcl",
        ["discovery-scaler"] = "consul/acl/scaler.hcl",
        ["discovery-renderer"] = "consul/acl/renderer.hcl",
        ["discovery-operator"] = "consul/acl/operator.hcl",
        ["discovery-postgres"] = "consul/acl/postgres.hcl",
        ["discovery-todo-app"] = "consul/acl/todo-app.hcl",
        ["discovery-prometheus"] = "consul/acl/prometheus.hcl",
    };

    /// <summary>
    /// Policy templates made once per node, load balancer or app (name prefix → file): "@NAME@"
    /// in the file becomes that name, e.g. discovery-scaler-node-1. Consul 1.8 has no templated
    /// policies, and a prefix rule would reach other nodes' sessions or other load balancers' keys.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ScopedAclPolicies = new Dictionary<string, string>
    {
        ["discovery-scaler-"] = "consul/acl/scoped/scaler-node.hcl",
        ["discovery-renderer-"] = "consul/acl/scoped/renderer-lb.hcl",
        ["discovery-operator-"] = "consul/acl/scoped/operator-app.hcl",
    };

    /// <summary>The placeholder in <see cref="ScopedAclPolicies"/> files.</summary>
    public const string ScopedAclPlaceholder = "@NAME@";

    public string StateDirectory => options.StateDirectory;

    public string StateFile => Path.Combine(StateDirectory, "state.json");

    public string LogDirectory => Path.Combine(StateDirectory, "logs");

    public string Shared(string relativePath) => Path.Combine(options.RepoRoot, relativePath);

    public string ConsulDataDirectory(LabHost host) => Path.Combine(StateDirectory, "consul", host.Name, "data");

    public string ConsulSecretsFile(LabHost host) => Path.Combine(StateDirectory, "consul", host.Name, "secrets.hcl");

    public string TokenFile(string name) => Path.Combine(StateDirectory, "tokens", name + ".token");

    /// <summary>A private secret other than a Consul token (the Postgres passwords), 0600.</summary>
    public string SecretFile(string name) => Path.Combine(StateDirectory, "secrets", name);

    public string NodeConfigFile(LabHost node) => Path.Combine(StateDirectory, "nodes", node.Name, "node.yaml");

    public string ScalerConfigFile(LabHost node) => Path.Combine(StateDirectory, "scalers", node.Name, "scaler.yaml");

    public string RendererConfigFile => Path.Combine(StateDirectory, "lb", "renderer.yaml");

    public string NginxPrefix => Path.Combine(StateDirectory, "lb", "nginx");

    public string NginxConfigCopy => Path.Combine(NginxPrefix, "conf", "nginx.conf");

    public string RenderedUpstreams => Path.Combine(NginxPrefix, "conf", "upstreams.conf");

    /// <summary>The last peer set nginx accepted, loaded at its start (nginx.conf: <c>peers/peers.txt</c> under the prefix).</summary>
    public string SavedPeers => Path.Combine(NginxPrefix, "peers", "peers.txt");

    public string PeerPushSecretFile => Path.Combine(NginxPrefix, "peers", "push.secret");

    public Uri PeersEndpoint => new($"http://{topology.LoadBalancer.Address}:{LabHost.LbPeersPort}/discovery/peers");

    public string LogFile(string process) => Path.Combine(LogDirectory, process + ".log");

    /// <summary>Where the lab's webhook receiver appends alert events (`agent alerts tail` reads it).</summary>
    public string AlertsFile => Path.Combine(StateDirectory, AlertsFileName);

    public string WebhookUrl => $"http://{topology.LoadBalancer.Address}:{LabHost.WebhookPort}/alerts";

    /// <summary>`consul agent` arguments: the shared file plus per-lab flags (consul/README.md's contract).</summary>
    public IReadOnlyList<string> ConsulArgs(LabHost host)
    {
        var args = new List<string>
        {
            "agent",
            "-config-file", Shared(host.Role == LabRole.ConsulServer ? ServerConfig : ClientConfig),
            "-config-file", ConsulSecretsFile(host),
            "-node", host.Name,
            "-bind", host.Address.ToString(),
            "-advertise", host.Address.ToString(),
            "-client", host.Address.ToString(),
            "-data-dir", ConsulDataDirectory(host),
            "-datacenter", options.Datacenter,
            "-dns-port", "-1",
            "-http-port", LabHost.HttpPort.ToString(CultureInfo.InvariantCulture),
            "-serf-lan-port", LabHost.SerfLanPort.ToString(CultureInfo.InvariantCulture),
        };
        if (host.Role == LabRole.ConsulServer)
        {
            args.AddRange(["-server-port", LabHost.ServerRpcPort.ToString(CultureInfo.InvariantCulture),
                "-serf-wan-port", LabHost.SerfWanPort.ToString(CultureInfo.InvariantCulture)]);
        }

        foreach (var server in topology.Servers.Where(server => server != host))
        {
            args.AddRange(["-retry-join", $"{server.Address}:{LabHost.SerfLanPort}"]);
        }

        return args;
    }

    /// <summary>Writes every generated file for a fresh lab. Secrets are created 0600.</summary>
    public void WriteAll(LabTokens tokens)
    {
        Directory.CreateDirectory(LogDirectory);
        foreach (var host in topology.All)
        {
            Directory.CreateDirectory(ConsulDataDirectory(host));
            var secrets = new StringBuilder("# Private per-lab ACL settings (never in the shared consul/*.hcl).\nacl {\n  tokens {\n");
            if (host.Role == LabRole.ConsulServer)
            {
                // Consul 1.8's name for the initial management token: no separate bootstrap call needed.
                secrets.Append(CultureInfo.InvariantCulture, $"    master = \"{tokens.Management}\"\n");
            }

            secrets.Append(CultureInfo.InvariantCulture, $"    agent = \"{tokens.ConsulAgents[host.Name]}\"\n  }}\n}}\n");
            WriteSecret(ConsulSecretsFile(host), secrets.ToString());
        }

        WriteSecret(TokenFile("management"), tokens.Management);
        WriteSecret(TokenFile("operator"), tokens.Operator);
        WriteSecret(TokenFile("renderer"), tokens.Renderer);
        WriteSecret(TokenFile("prometheus"), tokens.Prometheus);
        foreach (var (node, token) in tokens.NodeAgents)
        {
            WriteSecret(TokenFile("node-agent-" + node), token);
        }

        foreach (var (node, token) in tokens.Scalers)
        {
            WriteSecret(TokenFile("scaler-" + node), token);
        }

        if (options.WithPostgres)
        {
            WriteSecret(TokenFile("todo-app"), tokens.TodoApp);
            foreach (var secret in LabPostgres.Secrets)
            {
                WriteSecret(SecretFile(secret), Guid.NewGuid().ToString("N"));
            }
        }

        new OperatorEnvironment(topology.Servers[0].HttpAddress, TokenFile("operator")).Write(StateDirectory);
        if (options.ConsulOnly)
        {
            return;
        }

        foreach (var version in ShippedVersions)
        {
            // A release folder per version: the node agents start only versions whose folder exists.
            // Both run the same sample-app build with --version, so a deploy is visible in GET /.
            Write(Path.Combine(ArtifactsDirectory, version, "RELEASE"), $"{options.App} {version}: the sample app, run with --version {version}\n");
        }

        foreach (var node in topology.AppNodes)
        {
            Write(NodeConfigFile(node), NodeYaml(node));
            if (node.RunsScaler)
            {
                Write(ScalerConfigFile(node), ScalerYaml(node));
            }
        }

        Write(RendererConfigFile, RendererYaml());
        Directory.CreateDirectory(Path.Combine(NginxPrefix, "logs"));
        Directory.CreateDirectory(Path.Combine(NginxPrefix, "conf"));
        File.Copy(Shared(NginxConfig), NginxConfigCopy, overwrite: true);
        Write(Path.Combine(NginxPrefix, "conf", "lb-listen.conf"), $"# Written by `agent lab up`.\nlisten {topology.LoadBalancer.Address}:{LabHost.LbPort};\n");
        Write(Path.Combine(NginxPrefix, "conf", "lb-status-listen.conf"), $"# Written by `agent lab up`.\nlisten {topology.LoadBalancer.Address}:{LabHost.LbStatusPort};\n");
        Write(Path.Combine(NginxPrefix, "conf", "lb-peers-listen.conf"), $"# Written by `agent lab up`.\nlisten {topology.LoadBalancer.Address}:{LabHost.LbPeersPort};\n");
        var lua = Shared(NginxLua);
        foreach (var file in Directory.EnumerateFiles(lua, "*.lua", SearchOption.AllDirectories))
        {
            var target = Path.Combine(NginxPrefix, "lua", Path.GetRelativePath(lua, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        WriteSecret(PeerPushSecretFile, tokens.PeerPush + "\n");
    }

    /// <summary>nginx in the foreground (its master is the lab's child, so it is stopped by pid/group).</summary>
    public IReadOnlyList<string> NginxArgs() =>
        ["-p", NginxPrefix + "/", "-c", NginxConfigCopy, "-e", Path.Combine(NginxPrefix, "logs", "error.log"), "-g", "daemon off;"];

    /// <summary>The versions of the sample app the lab ships (`agent deploy web --version 1.1.0`).</summary>
    public static IReadOnlyList<string> ShippedVersions { get; } = ["1.0.0", "1.1.0"];

    public string ArtifactsDirectory => Path.Combine(StateDirectory, "artifacts", options.App);

    internal string NodeYaml(LabHost node) => $"""
        # Written by `agent lab up` (NodeAgentConfig; see node.example.yaml).
        name: {node.Name}
        consul:
          address: {Quote(node.HttpAddress.ToString())}
          tokenFile: {Quote(TokenFile("node-agent-" + node.Name))}
          datacenter: {options.Datacenter}
        dataDir: {Quote(Path.Combine(StateDirectory, "nodes", node.Name, "data"))}
        advertiseAddress: {node.Address}
        monitoring: {"{"} listen: "{node.Address}:{LabHost.NodeAgentMonitoringPort}" {"}"}
        apps:
          - name: {options.App}
            version: "1.0.0"
            command: {Quote(options.DotnetHost)}
            args: [{Quote(options.WebAppAssembly ?? "")}, "--port", "{"{port}"}", "--address", "{"{address}"}", "--instance", "{"{instance}"}", "--node", "{"{node}"}", "--version", "{"{version}"}"]
            artifacts: {Quote(Path.Combine(ArtifactsDirectory, "{version}"))}
            ports: 9000-9099
            health: {"{"} path: /health, interval: 1s, timeout: 500ms {"}"}
            drainTimeout: 10s
            stopTimeout: 10s
            defaultInstances: 1

        """ + (options.WithPostgres ? LabPostgres.TodoAppYaml(options, this, node) : "")
            + (node.RunsPostgres ? LabPostgres.MemberYaml(options, this, topology, node) : "");

    internal string ScalerYaml(LabHost node) => $"""
        # Written by `agent lab up` (ScalerConfig).
        node: {node.Name}
        consul: {"{"} address: {Quote(node.HttpAddress.ToString())}, tokenFile: {Quote(TokenFile("scaler-" + node.Name))}, datacenter: {options.Datacenter} {"}"}
        prefix: {options.KvPrefix}
        metrics: {options.ScalerTimings.MetricsYaml()}
        lock: {"{"} checkTtl: 2s, lockDelay: 1s {"}"}
        monitoring: {"{"} listen: "{node.Address}:{LabHost.ScalerMonitoringPort}" {"}"}
        apps:
          - name: {options.App}
            policy: {options.ScalerTimings.PolicyYaml()}
        # Evaluated by the leader of {options.App}; events go to the lab's receiver (`agent alerts tail`).
        alerts:
          - {"{"} name: {options.App}-traffic-high, signal: request-rate, app: {options.App}, above: 1000, for: 10s, webhook: "{WebhookUrl}" {"}"}
          - {"{"} name: {options.App}-cpu-high, signal: instance-cpu, app: {options.App}, above: 80, for: 30s, webhook: "{WebhookUrl}" {"}"}
          - {"{"} name: {options.App}-memory-high, signal: instance-rss, app: {options.App}, above: 400, for: 1m, webhook: "{WebhookUrl}" {"}"}
          - {"{"} name: {options.App}-crash-loop, signal: crash-loops, app: {options.App}, above: 0, for: 5s, webhook: "{WebhookUrl}" {"}"}
          - {"{"} name: {options.App}-no-leader, signal: no-leader, app: {options.App}, for: 10s, webhook: "{WebhookUrl}" {"}"}
          - {"{"} name: renderer-failing, signal: renderer-failing, for: 10s, webhook: "{WebhookUrl}" {"}"}

        """;

    internal string RendererYaml()
    {
        var lb = topology.LoadBalancer;
        return $"""
            # Written by `agent lab up` (RendererConfig).
            name: {lb.Name}
            consul: {"{"} address: {Quote(lb.HttpAddress.ToString())}, tokenFile: {Quote(TokenFile("renderer"))}, datacenter: {options.Datacenter} {"}"}
            prefix: {options.KvPrefix}
            # The structure (an upstream per app) reloads nginx only when an app appears or goes; the
            # peer set (which instances) is pushed to nginx without a reload, within tens of ms.
            templates:
              - source: {Quote(Shared(UpstreamsTemplate))}
                destination: {Quote(RenderedUpstreams)}
                wait: {"{"} min: 200ms, max: 1s {"}"}
                nginx: {"{"} binary: {Quote(options.NginxBinary)}, prefix: {Quote(NginxPrefix + "/")}, config: {Quote(NginxConfigCopy)}, reloadTimeout: 10s {"}"}
                routed: false
              - source: {Quote(Shared(PeersTemplate))}
                destination: {Quote(SavedPeers)}
                wait: {"{"} min: 25ms, max: 250ms {"}"}
                peers: {"{"} endpoint: {Quote(PeersEndpoint.ToString())}, secretFile: {Quote(PeerPushSecretFile)}, pidFile: {Quote(Path.Combine(NginxPrefix, "logs", "nginx.pid"))} {"}"}
            register: {"{"} address: {lb.Address}, port: {LabHost.LbPort}, stubStatusUrl: {Quote(topology.StubStatusAddress.ToString())} {"}"}
            monitoring: {"{"} listen: "{lb.Address}:{LabHost.RendererMonitoringPort}" {"}"}

            """;
    }

    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    internal static void WriteSecret(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var streamOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created 0600 from the first byte: never a moment where another user could read a token.
            streamOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, streamOptions);
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
