using System.Text.Json;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.Tests.NodeAgent.Configuration;

public sealed class NodeAgentConfigLoaderTests
{
    private const string BaseDirectory = "/etc/discovery";

    private const string ValidYaml = """
        name: node-1
        consul:
          address: http://127.0.0.11:8500
          tokenFile: consul.token
          datacenter: dc1
        dataDir: data
        advertiseAddress: 127.0.0.21
        apps:
          - name: web
            version: "1.2.3"
            command: /usr/bin/dotnet
            args: [app.dll, --port, "{port}", --address, "{address}", "--id={instance}"]
            env:
              APP_NAME: "{app}"
              NODE: "{node}"
              LITERAL: "${{HOME}}"
            workingDir: /srv/{app}
            ports: 9000-9099
            health:
              path: /healthz
              interval: 2s
              timeout: 1500ms
              failuresBeforeCritical: 2
              successBeforePassing: 3
            drainTimeout: 1m30s
            stopTimeout: 5s
            restart:
              initialBackoff: 250ms
              maxBackoff: 20s
              maxRestarts: 4
              window: 45s
            defaultInstances: 3
            logMaxBytes: 65536
          - name: api
            command: /usr/bin/api
            ports: "9100"
        """;

    private const string ValidJson = """
        {
          "name": "node-1",
          "consul": { "address": "http://127.0.0.11:8500", "tokenFile": "consul.token", "datacenter": "dc1" },
          "dataDir": "data",
          "advertiseAddress": "127.0.0.21",
          "apps": [
            {
              "name": "web",
              "version": "1.2.3",
              "command": "/usr/bin/dotnet",
              "args": ["app.dll", "--port", "{port}", "--address", "{address}", "--id={instance}"],
              "env": { "APP_NAME": "{app}", "NODE": "{node}", "LITERAL": "${{HOME}}" },
              "workingDir": "/srv/{app}",
              "ports": "9000-9099",
              "health": { "path": "/healthz", "interval": "2s", "timeout": "1500ms", "failuresBeforeCritical": 2, "successBeforePassing": 3 },
              "drainTimeout": "1m30s",
              "stopTimeout": "5s",
              "restart": { "initialBackoff": "250ms", "maxBackoff": "20s", "maxRestarts": 4, "window": "45s" },
              "defaultInstances": 3,
              "logMaxBytes": 65536
            },
            { "name": "api", "command": "/usr/bin/api", "ports": "9100" }
          ]
        }
        """;

    [Fact]
    public void Load_ValidYaml_BindsEveryField()
    {
        var config = NodeAgentConfigLoader.Load(ValidYaml, ConfigFormat.Yaml, BaseDirectory).GetConfigOrThrow();

        Assert.Equal("node-1", config.Name);
        Assert.Equal(new Uri("http://127.0.0.11:8500"), config.Consul.Address);
        Assert.Equal("/etc/discovery/consul.token", config.Consul.TokenFile);
        Assert.Equal("/etc/discovery/data", config.DataDir);
        Assert.Equal("/etc/discovery/data/instances.json", config.StateFilePath);
        var web = config.Apps[0];
        Assert.Equal(["app.dll", "--port", "{port}", "--address", "{address}", "--id={instance}"], web.Args);
        Assert.Equal(new PortRange(9000, 9099), web.Ports);
        Assert.Equal(new HealthCheckConfig("/healthz", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(1500), 2, 3), web.Health);
        Assert.Equal(TimeSpan.FromSeconds(90), web.DrainTimeout);
        Assert.Equal(new RestartPolicyConfig(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(20), 4, TimeSpan.FromSeconds(45)), web.Restart);
        Assert.Equal(3, web.DefaultInstances);
        Assert.Equal(65536, web.LogMaxBytes);
    }

    [Fact]
    public void Load_JsonAndYamlEquivalents_LoadIdentically()
    {
        var fromYaml = NodeAgentConfigLoader.Load(ValidYaml, ConfigFormat.Yaml, BaseDirectory).GetConfigOrThrow();
        var fromJson = NodeAgentConfigLoader.Load(ValidJson, ConfigFormat.Json, BaseDirectory).GetConfigOrThrow();

        Assert.Equal(JsonSerializer.Serialize(fromYaml), JsonSerializer.Serialize(fromJson));
    }

    [Fact]
    public void Load_OnlyRequiredFields_FillsDocumentedDefaults()
    {
        var config = NodeAgentConfigLoader.Load("""{ "name": "n", "apps": [ { "name": "web", "command": "x", "ports": "9000-9001" } ] }""", ConfigFormat.Json, BaseDirectory)
            .GetConfigOrThrow();

        Assert.Equal(ConsulConnectionConfig.DefaultAddress, config.Consul.Address);
        Assert.Equal(NodeAgentConfigLoader.DefaultDataDir, config.DataDir);
        Assert.Equal("127.0.0.1", config.AdvertiseAddress);
        var app = config.Apps[0];
        Assert.Equal(HealthCheckConfig.Default, app.Health);
        Assert.Equal(RestartPolicyConfig.Default, app.Restart);
        Assert.Equal(AppConfig.DefaultStopTimeout, app.StopTimeout);
        Assert.Equal(AppConfig.DefaultDrainTimeout, app.DrainTimeout);
        Assert.Equal(1, app.DefaultInstances);
        Assert.Equal(AppConfig.DefaultLogMaxBytes, app.LogMaxBytes);
        Assert.Empty(app.Args);
        Assert.Null(app.WorkingDir);
        Assert.Equal(["PATH", "LANG", "LC_ALL", "TZ"], app.PassEnv);
        Assert.Null(app.User);
    }

    public static TheoryData<string, string[]> InvalidYaml => new()
    {
        {
            "apps:\n  - name: web\n    ports: 9000-9010\n",
            ["apps[0].command: required"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-8000\n",
            ["apps[0].ports: 9000-8000 is empty"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: nine\n",
            ["apps[0].ports: \"nine\" is not a port range (use e.g. \"9000-9099\")"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-70000\n",
            ["apps[0].ports: 9000-70000 is outside 1-65535"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n  - name: api\n    command: y\n    ports: 9100-9110\n  - name: web\n    command: z\n    ports: 9200-9210\n",
            ["apps[2].name: duplicate of apps[0].name \"web\""]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n  - name: api\n    command: y\n    ports: 9005-9100\n",
            ["apps[1].ports: 9005-9100 overlaps apps[0].ports 9000-9010"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    defaultInstances: three\n",
            ["apps[0].defaultInstances: \"three\" is not a number"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    helth:\n      path: /health\n",
            ["apps[0].helth: unknown key (did you mean \"health\"?)"]
        },
        {
            "nmae: n\napps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    restart:\n      jitter: 1\n",
            ["apps[0].restart.jitter: unknown key", "nmae: unknown key (did you mean \"name\"?)"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    stopTimeout: 10 seconds\n    drainTimeout: 0s\n    health:\n      interval: 1x\n",
            [
                "apps[0].health.interval: \"1x\" is not a duration (use e.g. \"500ms\", \"10s\", \"1m30s\")",
                "apps[0].drainTimeout: must be greater than 0",
                "apps[0].stopTimeout: \"10 seconds\" is not a duration (use e.g. \"500ms\", \"10s\", \"1m30s\")",
            ]
        },
        {
            "apps:\n  - name: web\n    command: x\n    args: [\"--port={prot}\"]\n    ports: 9000-9010\n",
            ["apps[0].args[0]: unknown placeholder {prot} (known: {port}, {address}, {instance}, {app}, {node}, {version}, {artifacts}; write {{ and }} for literal braces)"]
        },
        {
            "apps:\n  - name: web\n    version: \"1 0\"\n    command: \"{artifacts}/run\"\n    ports: 9000-9010\n",
            [
                "apps[0].version: \"1 0\" is not a valid version (letters, digits, '.', '_', '+', '-'; starting with a letter or digit; at most 64 characters)",
                "apps[0].command: {artifacts} needs an artifacts folder (artifacts: /opt/<app>/{version})",
            ]
        },
        {
            "apps:\n  - name: web\n    command: x\n    artifacts: releases/{port}\n    ports: 9000-9010\n",
            [
                "apps[0].artifacts: \"releases/{port}\" is not an absolute path",
                "apps[0].artifacts: needs a {version} placeholder: one folder per version",
                "apps[0].artifacts: placeholder {port} not allowed here (allowed: {app}, {version})",
            ]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9001\n    defaultInstances: 3\n",
            ["apps[0].defaultInstances: 3 instances do not fit in ports 9000-9001 (2 ports)"]
        },
        {
            "consul:\n  address: 127.0.0.1:8500\n  token: a\n  tokenFile: b\nadvertiseAddress: localhost\napps: []\n",
            [
                "consul.address: \"127.0.0.1:8500\" is not an http:// or https:// address",
                "consul.tokenFile: give either token or tokenFile, not both",
                "advertiseAddress: \"localhost\" is not an IP address",
                "apps: at least one app (or a postgres section) is required",
            ]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    restart:\n      initialBackoff: 10s\n      maxBackoff: 1s\n      maxRestarts: 0\n",
            ["apps[0].restart.maxBackoff: 1s is less than initialBackoff 10s", "apps[0].restart.maxRestarts: 0 is outside 1-1000"]
        },
        {
            "apps:\n  - name: web\n    command: [x]\n    ports: 9000-9010\n    env: [A]\n",
            ["apps[0].command: expected text, got a list", "apps[0].env: expected a map, got a list"]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    passEnv: [PATH, CONSUL_HTTP_TOKEN, 1BAD, \"A B\"]\n",
            [
                "apps[0].passEnv[1]: CONSUL_HTTP_TOKEN: the agent's Consul settings and credentials are never passed to an app",
                "apps[0].passEnv[2]: \"1BAD\" is not an environment variable name (letters, digits, '_'; not starting with a digit)",
                "apps[0].passEnv[3]: \"A B\" is not an environment variable name (letters, digits, '_'; not starting with a digit)",
            ]
        },
        {
            "apps:\n  - name: web\n    command: x\n    ports: 9000-9010\n    user: \"Root;x\"\n",
            ["apps[0].user: \"Root;x\" is not a valid Unix user name"]
        },
        {
            "apps: [ { name: web, command: x, ports: 9000-9010 } ]\nname: web\nname: again\n",
            ["not valid YAML"]
        },
    };

    [Theory]
    [MemberData(nameof(InvalidYaml))]
    public void Load_InvalidYaml_ListsEveryErrorWithItsPath(string yaml, string[] expected)
    {
        var result = NodeAgentConfigLoader.Load(yaml, ConfigFormat.Yaml, BaseDirectory);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        var actual = result.Errors.Select(error => error.ToString()).ToList();
        if (expected is ["not valid YAML"])
        {
            Assert.StartsWith("not valid YAML", Assert.Single(actual));
            return;
        }

        Assert.Equal(expected.Order(), actual.Order());
    }

    [Fact]
    public void Load_ManyProblemsInJson_ReportsAllAtOnce()
    {
        const string json = """
            {
              "apps": [
                { "name": "web", "command": "x", "ports": "9000-9010", "helth": {} },
                { "name": "web", "ports": "9000-8000", "defaultInstances": "three" },
                { "name": "api", "command": "y", "ports": "9005-9020", "stopTimeout": "soon" }
              ],
              "extra": true
            }
            """;

        var result = NodeAgentConfigLoader.Load(json, ConfigFormat.Json, BaseDirectory);

        Assert.Equal(
            new[]
            {
                "apps[0].helth: unknown key (did you mean \"health\"?)",
                "apps[1].command: required",
                "apps[1].ports: 9000-8000 is empty",
                "apps[1].defaultInstances: \"three\" is not a number",
                "apps[2].stopTimeout: \"soon\" is not a duration (use e.g. \"500ms\", \"10s\", \"1m30s\")",
                "apps[1].name: duplicate of apps[0].name \"web\"",
                "apps[2].ports: 9005-9020 overlaps apps[0].ports 9000-9010",
                "extra: unknown key",
            }.Order(),
            result.Errors.Select(error => error.ToString()).Order());
    }

    [Fact]
    public void GetConfigOrThrow_Invalid_MessageListsErrorsOnePerLine()
    {
        var result = NodeAgentConfigLoader.Load("apps:\n  - name: web\n    ports: 9000-8000\n", ConfigFormat.Yaml, BaseDirectory);

        var exception = Assert.Throws<ConfigException>(result.GetConfigOrThrow);

        Assert.Equal("invalid configuration (2 errors):\n  apps[0].command: required\n  apps[0].ports: 9000-8000 is empty", exception.Message);
    }

    [Fact]
    public void LoadFile_ExampleShippedWithTheAgent_IsValid()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "NodeAgent", "Configuration", "node.example.yaml");

        var result = NodeAgentConfigLoader.LoadFile(path);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("web", result.Config!.Apps[0].Name);
    }

    [Fact]
    public void LoadFile_UnknownExtension_IsAnError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"discovery-{Guid.NewGuid():N}.toml");
        File.WriteAllText(path, "name = 'x'");
        try
        {
            var result = NodeAgentConfigLoader.LoadFile(path);

            Assert.Contains("unknown extension \".toml\"", Assert.Single(result.Errors).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
