using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Configuration;

namespace Discovery.Core.Tests.Rendering.Configuration;

public sealed class RendererConfigLoaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-renderer-config-").FullName;

    public RendererConfigLoaderTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "prefix"));
        File.WriteAllText(Path.Combine(_folder, "upstreams.ctmpl"), "");
        File.WriteAllText(Path.Combine(_folder, "app.ctmpl"), "");
        File.WriteAllText(Path.Combine(_folder, "prefix", "nginx.conf"), "");
        File.WriteAllText(Path.Combine(_folder, "nginx"), "");
        File.WriteAllText(Path.Combine(_folder, "peers.ctmpl"), "");
        File.WriteAllText(Path.Combine(_folder, "prefix", "push.secret"), "0123456789abcdef");
    }

    private string PeersYaml => $$"""
        name: lb1
        templates:
          - source: upstreams.ctmpl
            destination: prefix/upstreams.conf
            nginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf }
            routed: false
          - source: peers.ctmpl
            destination: prefix/peers.txt
            wait: { min: 25ms, max: 250ms }
            peers: { endpoint: "http://127.0.0.5:8091/discovery/peers", secretFile: prefix/push.secret, pidFile: prefix/logs/nginx.pid, verifyInterval: 2s }
        """;

    private string ValidYaml => $$"""
        name: lb1
        consul: { address: "http://127.0.0.1:8500", tokenFile: token, datacenter: dc1 }
        prefix: discovery
        template: upstreams.ctmpl
        output: {{_folder}}/prefix/upstreams.conf
        wait: { min: 200ms, max: 1s }
        nginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf, reloadTimeout: 5s }
        register: { address: 127.0.0.5, port: 8080, stubStatusUrl: "http://127.0.0.5:8081/stub_status" }
        """;

    private string TemplatesYaml => $$"""
        name: lb1
        templates:
          - source: upstreams.ctmpl
            destination: prefix/upstreams.conf
            nginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf }
          - source: app.ctmpl
            destination: app.conf
            perms: "0640"
            check: "grep -q server $DISCOVERY_CANDIDATE"
            command: [systemctl, reload, app]
            commandTimeout: 5s
            routed: false
        outageSettle: 5s
        """;

    [Fact]
    public void Load_SingleTemplateForm_BindsEveryField()
    {
        var config = RendererConfigLoader.Load(ValidYaml, ConfigFormat.Yaml, _folder).GetConfigOrThrow();

        Assert.Equal("lb1", config.Name);
        Assert.Equal(new Uri("http://127.0.0.1:8500"), config.Consul.Address);
        Assert.Equal(Path.Combine(_folder, "token"), config.Consul.TokenFile);
        Assert.Equal("dc1", config.Consul.Datacenter);
        Assert.Equal("discovery", config.Prefix);
        var template = Assert.Single(config.Templates);
        Assert.Equal(Path.Combine(_folder, "upstreams.ctmpl"), template.Source);
        Assert.Equal(Path.Combine(_folder, "prefix", "upstreams.conf"), template.Destination);
        Assert.True(template.Routed);
        Assert.Equal(new QuiescenceWait(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)), config.Wait);
        Assert.Equal(
            new NginxControlConfig(Path.Combine(_folder, "nginx"), Path.Combine(_folder, "prefix"), Path.Combine(_folder, "prefix", "nginx.conf"), TimeSpan.FromSeconds(5), Path.Combine(_folder, "prefix", "logs", "nginx.pid")),
            template.Nginx);
        Assert.Equal(new LoadBalancerRegistrationConfig("127.0.0.5", 8080, "http://127.0.0.5:8081/stub_status"), config.Register);
    }

    [Fact]
    public void Load_TemplatesList_BindsEachTemplate()
    {
        var config = RendererConfigLoader.Load(TemplatesYaml, ConfigFormat.Yaml, _folder).GetConfigOrThrow();

        Assert.Equal(2, config.Templates.Count);
        Assert.NotNull(config.Templates[0].Nginx);
        var app = config.Templates[1];
        Assert.Equal((Path.Combine(_folder, "app.ctmpl"), Path.Combine(_folder, "app.conf")), (app.Source, app.Destination));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, app.Perms);
        Assert.Equal(new CommandLine(["grep -q server $DISCOVERY_CANDIDATE"]), app.Check);
        Assert.Equal(new CommandLine(["systemctl", "reload", "app"]), app.Command);
        Assert.Equal((TimeSpan.FromSeconds(5), false, (NginxControlConfig?)null), (app.CommandTimeout, app.Routed, app.Nginx));
        Assert.Equal(TimeSpan.FromSeconds(5), config.OutageSettle);
    }

    [Fact]
    public void Load_PeersTemplate_BindsItsEndpointSecretPidFileAndOwnWait()
    {
        var config = RendererConfigLoader.Load(PeersYaml, ConfigFormat.Yaml, _folder).GetConfigOrThrow();

        var peers = config.Templates[1];
        Assert.Equal(
            new PeerPushConfig(new Uri("http://127.0.0.5:8091/discovery/peers"), Path.Combine(_folder, "prefix", "push.secret"), Path.Combine(_folder, "prefix", "logs", "nginx.pid"),
                PeerPushConfig.DefaultRequestTimeout, TimeSpan.FromSeconds(2)),
            peers.Peers);
        Assert.Equal(new QuiescenceWait(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250)), peers.Wait);
        Assert.True(peers.Routed);
        Assert.Null(config.Templates[0].Wait);
        Assert.False(config.Templates[0].Routed);
    }

    [Theory]
    [InlineData("endpoint: \"http://127.0.0.5:8091/discovery/peers\"", "endpoint: \"http://10.0.0.5:8091/discovery/peers\"", "templates[1].peers.endpoint")]
    [InlineData("endpoint: \"http://127.0.0.5:8091/discovery/peers\"", "endpoint: \"https://127.0.0.5:8091/discovery/peers\"", "templates[1].peers.endpoint")]
    [InlineData("endpoint: \"http://127.0.0.5:8091/discovery/peers\"", "endpoint: \"http://localhost:8091/discovery/peers\"", "templates[1].peers.endpoint")]
    [InlineData("secretFile: prefix/push.secret", "secretFile: prefix/none.secret", "templates[1].peers.secretFile")]
    [InlineData("pidFile: prefix/logs/nginx.pid, ", "", "templates[1].peers.pidFile")]
    [InlineData("verifyInterval: 2s", "verifyInterval: 0s", "templates[1].peers.verifyInterval")]
    [InlineData("wait: { min: 25ms, max: 250ms }", "wait: { min: 25ms, max: 5ms }", "templates[1].wait.max")]
    [InlineData("wait: { min: 25ms, max: 250ms }", "wait: { min: 25ms, max: 250ms }\n    command: reload", "templates[1].peers")]
    public void Load_PeersTemplateMistake_ReportsItsPath(string valid, string broken, string expectedPath)
    {
        var yaml = PeersYaml.Replace(valid, broken, StringComparison.Ordinal);
        Assert.NotEqual(PeersYaml, yaml);

        var result = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, _folder);

        Assert.Equal([expectedPath], result.Errors.Select(error => error.Path));
    }

    [Fact]
    public void Load_WithoutOptionalBlocks_UsesDefaults()
    {
        var yaml = $$"""
            name: lb1
            template: upstreams.ctmpl
            output: out.conf
            nginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf }
            """;

        var config = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, _folder).GetConfigOrThrow();

        Assert.Equal(QuiescenceWait.Default, config.Wait);
        Assert.Equal("discovery", config.Prefix);
        Assert.Equal(ConsulConnectionConfig.DefaultAddress, config.Consul.Address);
        Assert.Null(config.Register);
        Assert.Equal(NginxControlConfig.DefaultReloadTimeout, config.Templates[0].Nginx!.ReloadTimeout);
    }

    [Theory]
    [InlineData("name: lb1", "name: 'bad name'", "name")]
    [InlineData("template: upstreams.ctmpl", "template: missing.ctmpl", "template")]
    [InlineData("wait: { min: 200ms, max: 1s }", "wait: { min: 2s, max: 1s }", "wait.max")]
    [InlineData("wait: { min: 200ms, max: 1s }", "wait: { min: soon, max: 1s }", "wait.min")]
    [InlineData("reloadTimeout: 5s", "reloadTimeout: 5s, colour: red", "nginx.colour")]
    [InlineData("port: 8080", "port: 80800", "register.port")]
    [InlineData("address: 127.0.0.5,", "address: lb.local,", "register.address")]
    [InlineData("stubStatusUrl: \"http://127.0.0.5:8081/stub_status\"", "stubStatusUrl: ftp://x", "register.stubStatusUrl")]
    [InlineData("address: \"http://127.0.0.1:8500\"", "address: \"127.0.0.1:8500\"", "consul.address")]
    [InlineData("prefix: discovery", "prefix: /", "prefix")]
    public void Load_OneMistake_ReportsItsPath(string valid, string broken, string expectedPath)
    {
        var yaml = ValidYaml.Replace(valid, broken, StringComparison.Ordinal);
        Assert.NotEqual(ValidYaml, yaml);

        var result = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, _folder);

        Assert.False(result.IsValid);
        Assert.Equal([expectedPath], result.Errors.Select(error => error.Path));
    }

    [Theory]
    [InlineData("perms: \"0640\"", "perms: \"0999\"", "templates[1].perms")]
    [InlineData("check: \"grep -q server $DISCOVERY_CANDIDATE\"", "check: { run: x }", "templates[1].check")]
    [InlineData("command: [systemctl, reload, app]", "command: []", "templates[1].command")]
    [InlineData("routed: false", "routed: maybe", "templates[1].routed")]
    [InlineData("routed: false", "routed: false\n    colour: red", "templates[1].colour")]
    [InlineData("destination: app.conf", "destination: prefix/upstreams.conf", "templates")]
    [InlineData("destination: app.conf", "destination: nowhere/app.conf", "templates[1].destination")]
    [InlineData("nginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf }", "nginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf }\n    command: reload", "templates[0].nginx")]
    public void Load_TemplatesMistake_ReportsItsPath(string valid, string broken, string expectedPath)
    {
        var yaml = TemplatesYaml.Replace(valid, broken, StringComparison.Ordinal);
        Assert.NotEqual(TemplatesYaml, yaml);

        var result = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, _folder);

        Assert.Equal([expectedPath], result.Errors.Select(error => error.Path));
    }

    [Fact]
    public void Load_BothTemplateForms_IsAnError()
    {
        var yaml = ValidYaml + "\ntemplates: []\n";

        var result = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, _folder);

        Assert.Equal(["templates"], result.Errors.Select(error => error.Path));
        Assert.Contains("not template and templates", result.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralMistakes_ReportsAllAtOnce()
    {
        var result = RendererConfigLoader.Load("consul: { address: nope }\nwait: { min: 1s, max: 1ms }\n", ConfigFormat.Yaml, _folder);

        Assert.Equal(["name", "consul.address", "wait.max", "templates"], result.Errors.Select(error => error.Path));
    }

    [Fact]
    public void Load_ConsulTemplateConfig_TakesTemplatesWaitAndRetryFromTheHclAndTheRestFromTheYaml()
    {
        File.WriteAllText(Path.Combine(_folder, "shared.hcl"), $$"""
            consul { retry { backoff = "1s", max_backoff = "4s" } }
            wait { min = "300ms", max = "2s" }
            template {
              source = "{{_folder}}/upstreams.ctmpl"
              destination = "{{_folder}}/upstreams.candidate.conf"
              exec { command = ["/bin/sh", "-c", "install-it"] }
            }
            """);
        var yaml = """
            name: lb1
            consul: { address: "http://127.0.0.7:8500" }
            consulTemplateConfig: shared.hcl
            register: { address: 127.0.0.5, port: 80, stubStatusUrl: "http://127.0.0.5:8090/nginx_status" }
            """;

        var config = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, _folder).GetConfigOrThrow();

        Assert.Equal(("lb1", new Uri("http://127.0.0.7:8500")), (config.Name, config.Consul.Address));
        Assert.NotNull(config.Register);
        Assert.Equal(new QuiescenceWait(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2)), config.Wait);
        Assert.Equal(new ConsulRetryConfig(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4)), config.Retry);
        var template = Assert.Single(config.Templates);
        Assert.Equal(new CommandLine(["/bin/sh", "-c", "install-it"]), template.Command);
        Assert.True(template.Routed);
    }

    [Fact]
    public void Load_ConsulTemplateConfigWithErrors_ReportsThemUnderItsKey()
    {
        File.WriteAllText(Path.Combine(_folder, "broken.hcl"), "template { source = \"missing.ctmpl\", destination = \"x\" }\nvault {}\n");

        var result = RendererConfigLoader.Load("name: lb1\nconsulTemplateConfig: broken.hcl\n", ConfigFormat.Yaml, _folder);

        Assert.Equal(["consulTemplateConfig", "consulTemplateConfig"], result.Errors.Select(error => error.Path));
        Assert.Contains("vault: consul-template option not supported", result.Errors[0].Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
