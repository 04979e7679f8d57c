using System.Net;
using System.Text.Json;
using Discovery.Cli.Tests.Commands;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Http;
using Discovery.Testing.Network;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.Rendering;

/// <summary>`agent render` as a user runs it: the real executable against a real Consul (and nginx where it matters).</summary>
public sealed class RenderCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-render-cli-").FullName;

    [Fact]
    public async Task Render_Once_RendersEveryDataFunctionFromConsulRunsTheCommandAndExits0()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        using var client = consul.CreateClient();
        await client.KV.PutStringAsync("app/a", "1");
        await client.KV.PutStringAsync("app/sub/b", "2");
        await client.KV.PutStringAsync("app/json", "{\"x\": [1, \"two\"]}");
        await Register(client, "web-2", 8082, ["discovery", "v2"]);
        await Register(client, "web-1", 8081, ["v1", "discovery"]);
        var template = await Write("all.ctmpl", """
            {{- range service "web" }}{{ .ID }} {{ .Address }}:{{ .Port }} {{ .Node }} {{ .Tags | join "," }} {{ .Status }}
            {{ end -}}
            services: {{ range services }}{{ .Name }}[{{ .Tags | join "," }}] {{ end }}
            ls: {{ range ls "app" }}{{ .Key }}={{ .Value }}; {{ end }}
            tree: {{ range tree "/app/" }}{{ .Key }} {{ end }}
            keys: {{ key "app/a" }} {{ keyOrDefault "app/none" "default" }} {{ keyExists "app/a" }} {{ keyExists "app/none" }}
            node: {{ with node }}{{ .Node.Node }} {{ .Node.Address }} {{ .Node.Datacenter }}{{ range .Services }} {{ .Service }}/{{ .ID }}{{ end }}{{ end }}
            nodes: {{ range nodes }}{{ .Node }}@{{ .Address }} {{ end }}
            datacenters: {{ datacenters }}
            byTag: {{ range $tag, $all := service "web" | byTag }}{{ $tag }}={{ len $all }} {{ end }}
            json: {{ (key "app/json" | parseJSON).x | toJSON }} {{ index (key "app/json" | parseJSON).x 1 }}
            regex: {{ range service "web" }}{{ .ID | regexReplaceAll "web-([0-9]+)" "instance $1" }}, {{ end }}
            """);
        var destination = Path.Combine(_folder, "out", "all.conf");
        var runs = Path.Combine(_folder, "runs");
        var config = await Write("render.hcl", $$"""
            consul { address = "{{consul.HttpAddress}}" }
            template {
              source      = "{{template}}"
              destination = "{{destination}}"
              command     = "echo ran >> {{runs}}"
            }
            """);

        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "render", "--config", config, "--once");

        Assert.True(exitCode == 0, error);
        var node = consul.NodeName;
        var address = consul.Address.ToString();
        Assert.Equal(
            $$"""
            web-1 {{address}}:8081 {{node}} discovery,v1 passing
            web-2 {{address}}:8082 {{node}} discovery,v2 passing
            services: consul[] web[discovery,v1,v2] 
            ls: a=1; json={"x": [1, "two"]}; 
            tree: a json sub/b 
            keys: 1 default true false
            node: {{node}} {{address}} dc1 consul/consul web/web-1 web/web-2
            nodes: {{node}}@{{address}} 
            datacenters: [dc1]
            byTag: discovery=2 v1=1 v2=1 
            json: [1,"two"] two
            regex: instance 1, instance 2, 
            """,
            await File.ReadAllTextAsync(destination));
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(runs));

        // Nothing changed: a second --once writes nothing and runs no command.
        Assert.Equal(0, (await AgentProcess.RunAsync(null, "render", "--config", config, "--once")).ExitCode);
        Assert.Equal(["ran"], await File.ReadAllLinesAsync(runs));
    }

    [Fact]
    public async Task Render_OnceKeyNeverWritten_Exits1NamingEveryMissingDependencyAfterTimeout()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        var template = await Write("t.ctmpl", "{{ key \"app/missing\" }} {{ key \"app/also-missing\" }}{{ range service \"web\" }}{{ end }}\n");
        var config = await Write("render.hcl", $"consul {{ address = \"{consul.HttpAddress}\" }}\ntemplate {{\n source = \"{template}\"\n destination = \"{_folder}/t.conf\"\n}}\n");

        var started = DateTime.UtcNow;
        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "render", "--config", config, "--once", "--timeout", "2s");

        Assert.Equal(1, exitCode);
        Assert.Contains("no data after 2 s for kv.get(app/missing), kv.get(app/also-missing)", error, StringComparison.Ordinal);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20));
        Assert.False(File.Exists(Path.Combine(_folder, "t.conf")));
    }

    [Theory]
    [InlineData("{{ (index (service \"nope\") 0).Address }}\n", "index out of range: 0")]
    [InlineData("{{ \"x\" | regexReplaceAll (key \"app/pattern\") \"y\" }}\n", "error parsing regexp: missing closing )")]
    public async Task Render_OnceTemplateFailsWithRealData_Exits1WithPosition(string text, string expected)
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        using var client = consul.CreateClient();
        await client.KV.PutStringAsync("app/pattern", "(");
        var template = await Write("t.ctmpl", text);
        var config = await Write("render.hcl", $"consul {{ address = \"{consul.HttpAddress}\" }}\ntemplate {{\n source = \"{template}\"\n destination = \"{_folder}/t.conf\"\n}}\n");

        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "render", "--config", config, "--once");

        Assert.Equal(1, exitCode);
        Assert.Contains($"{template}:1:", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_OnceCheckRejects_Exits1AndKeepsTheFile()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        using var client = consul.CreateClient();
        await client.KV.PutStringAsync("app/port", "not-a-number");
        var template = await Write("t.ctmpl", "port = {{ key \"app/port\" }}\n");
        var destination = await Write("t.conf", "port = 80\n");
        var config = await Write("render.yaml", $$"""
            name: lb1
            consul: { address: "{{consul.HttpAddress}}" }
            templates:
              - source: {{template}}
                destination: {{destination}}
                check: "grep -Eq '^port = [0-9]+$' $DISCOVERY_CANDIDATE"
                command: "echo should not run >> {{_folder}}/runs"
                routed: false
            """);

        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "render", "--config", config, "--once");

        Assert.Equal(1, exitCode);
        Assert.Contains("rejected the rendered", error, StringComparison.Ordinal);
        Assert.Equal("port = 80\n", await File.ReadAllTextAsync(destination));
        Assert.False(File.Exists(Path.Combine(_folder, "runs")));
    }

    [Theory]
    [InlineData("{{ nosuchfunction }}\n", "t.ctmpl:1:4: function \"nosuchfunction\" not defined")]
    [InlineData("{{ range service \"web\" }}{{ .Adress }}{{ end }}\n", "t.ctmpl:1:29: a service instance has no field .Adress")]
    public async Task Render_TemplateOutsideSubset_Exits2BeforeTouchingConsul(string text, string expected)
    {
        var template = await Write("t.ctmpl", text);
        var config = await Write("render.hcl", $"consul {{ address = \"127.0.0.1:1\" }}\ntemplate {{\n source = \"{template}\"\n destination = \"{_folder}/t.conf\"\n}}\n");

        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "render", "--config", config, "--once");

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_DryOnce_PrintsEachTemplateAndTouchesNoFileKeyOrService()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        await using var nginx = await NginxTestServer.StartAsync(output, start: false);
        using var client = consul.CreateClient();
        await Register(client, "web-1", 8081, ["discovery"]);
        var app = await Write("app.ctmpl", "{{ range service \"web\" }}{{ .Port }}{{ end }}\n");
        var config = await Write("render.yaml", $$"""
            name: lb1
            consul: { address: "{{consul.HttpAddress}}" }
            templates:
              - source: {{ToolPaths.RepoRoot}}/nginx-templates/upstreams.ctmpl
                destination: {{nginx.UpstreamsFile}}
                nginx: { binary: {{ToolPaths.Nginx}}, prefix: {{nginx.Prefix}}, config: {{nginx.ConfigFile}} }
              - source: {{app}}
                destination: {{_folder}}/app.conf
                command: "touch {{_folder}}/ran"
            register: { address: 127.0.0.1, port: 8080, stubStatusUrl: "http://127.0.0.1:8081/nginx_status" }
            """);
        var before = Directory.GetFileSystemEntries(_folder).Concat(Directory.GetFileSystemEntries(Path.GetDirectoryName(nginx.UpstreamsFile)!)).Order().ToList();

        var (exitCode, stdout, error) = await AgentProcess.RunAsync(null, "render", "--config", config, "--dry", "--once");

        Assert.True(exitCode == 0, error);
        Assert.Contains($"> {nginx.UpstreamsFile}\n", stdout, StringComparison.Ordinal);
        Assert.Contains("upstream web {", stdout, StringComparison.Ordinal);
        Assert.Contains($"> {_folder}/app.conf\n8081\n", stdout, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFileSystemEntries(_folder).Concat(Directory.GetFileSystemEntries(Path.GetDirectoryName(nginx.UpstreamsFile)!)).Order());
        Assert.Equal(NginxTestServer.EmptyUpstreams, await File.ReadAllTextAsync(nginx.UpstreamsFile));
        Assert.Empty((await client.KV.KeysAsync("discovery/")).Value);
        Assert.Empty((await client.Catalog.ServiceAsync("lb")).Value);
    }

    [Fact]
    public async Task Render_ShippedConsulTemplateHcl_InstallsThroughItsOwnCommandAndNginxServesTheInstance()
    {
        // The very file the VM lab's consul-template reads, with its paths pointed at a private
        // nginx; Consul's address comes from CONSUL_HTTP_ADDR, as in the VM lab.
        await using var consul = await ConsulTestServer.StartAsync(output);
        await using var nginx = await NginxTestServer.StartAsync(output);
        // A believable instance (issue 12): on its Consul node's address, with the node's ID scheme and a passing node agent.
        var address = consul.Address;
        var port = LoopbackAddress.FreePort(address);
        await using var backend = await TestBackend.StartAsync($"web-{consul.NodeName}-{port}", address, port);
        using var client = consul.CreateClient();
        await client.Agent.RegisterServiceAsync(new ServiceRegistration { ID = backend.Name, Name = "web", Address = address.ToString(), Port = port, Tags = ["discovery"] });
        await client.Agent.RegisterServiceAsync(new ServiceRegistration { ID = $"discovery-agent-{consul.NodeName}", Name = "discovery-agent" });
        var hcl = (await File.ReadAllTextAsync(Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "consul-template.hcl")))
            .Replace("/etc/discovery/nginx-templates", Path.Combine(ToolPaths.RepoRoot, "nginx-templates"), StringComparison.Ordinal)
            .Replace("/etc/discovery-lb", Path.Combine(nginx.Prefix, "conf"), StringComparison.Ordinal)
            .Replace("/var/lib/discovery-lb/", nginx.Prefix + "/", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8091/discovery/peers", nginx.PeersEndpoint.ToString(), StringComparison.Ordinal);
        var config = await Write("consul-template.hcl", hcl);
        var environment = new Dictionary<string, string?>
        {
            ["CONSUL_HTTP_ADDR"] = consul.HttpAddress.ToString(),
            ["PATH"] = $"{Path.GetDirectoryName(ToolPaths.Nginx)}:{Environment.GetEnvironmentVariable("PATH")}",
        };

        var (exitCode, _, error) = await AgentProcess.RunAsync(environment, "render", "--config", config, "--once", "--status-file", Path.Combine(_folder, "status.json"));

        Assert.True(exitCode == 0, error);
        Assert.Contains("upstream web {", await File.ReadAllTextAsync(nginx.UpstreamsFile), StringComparison.Ordinal);
        Assert.Contains(backend.Name, await File.ReadAllTextAsync(nginx.PeersFile), StringComparison.Ordinal); // pushed by the HCL's curl command
        await Eventually.UntilAsync(
            async () => await nginx.GetAsync("/", "web.test") == (HttpStatusCode.OK, backend.Name), TimeSpan.FromSeconds(10), () => "nginx does not route to the instance");
        using var health = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_folder, "status.json")));
        Assert.True(health.RootElement.GetProperty("healthy").GetBoolean());
        Assert.Equal(JsonValueKind.String, health.RootElement.GetProperty("templates")[0].GetProperty("lastSuccessAt").ValueKind);
    }

    [Fact]
    public async Task Render_Help_SaysWhatItRegistersAndWhen()
    {
        var (exitCode, stdout, _) = await AgentProcess.RunAsync(null, "render", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("with a register: section it also registers the load balancer as Consul service lb", stdout, StringComparison.Ordinal);
        Assert.Contains("an HCL config registers and publishes nothing", stdout, StringComparison.Ordinal);
        Assert.Contains("--once", stdout, StringComparison.Ordinal);
        Assert.Contains("--dry", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Registers the load balancer as service lb.", stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Task Register(ConsulClient client, string id, int port, string[] tags) =>
        client.Agent.RegisterServiceAsync(new ServiceRegistration { ID = id, Name = "web", Port = port, Tags = tags });

    private async Task<string> Write(string name, string content)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, content);
        return path;
    }
}
