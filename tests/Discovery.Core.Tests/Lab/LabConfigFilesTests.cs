using System.Net;
using Discovery.Core.Lab;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Scaling.Configuration;
using Discovery.Testing.Tools;

namespace Discovery.Core.Tests.Lab;

public sealed class LabConfigFilesTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "discovery-lab-files-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public void WriteAll_FullLab_NodeYamlIsAValidNodeAgentConfig()
    {
        var (files, topology) = Create();

        files.WriteAll(LabTokens.Generate(topology));

        var config = NodeAgentConfigLoader.LoadFile(files.NodeConfigFile(topology.AppNodes[1])).GetConfigOrThrow();
        Assert.Equal(("node-2", "127.0.0.22"), (config.Name, config.AdvertiseAddress));
        var web = Assert.Single(config.Apps);
        Assert.Equal("web", web.Name);
        Assert.Contains("{port}", web.Args);
        Assert.True(File.Exists(files.ScalerConfigFile(topology.AppNodes[1])));
        Assert.False(File.Exists(files.ScalerConfigFile(topology.AppNodes[2])));
        Assert.Equal(File.ReadAllText(files.Shared(LabConfigFiles.NginxConfig)), File.ReadAllText(files.NginxConfigCopy));
        Assert.Contains("listen 127.0.0.5:8080;", File.ReadAllText(Path.Combine(files.NginxPrefix, "conf", "lb-listen.conf")));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void WriteAll_WithPostgres_PrimaryOnNode1ReplicaOnNode2TodoAppEverywhere()
    {
        var (files, topology) = Create(postgres: true);

        files.WriteAll(LabTokens.Generate(topology));

        var configs = topology.AppNodes.Select(node => NodeAgentConfigLoader.LoadFile(files.NodeConfigFile(node)).GetConfigOrThrow()).ToList();
        Assert.All(configs, config => Assert.Equal(["web", "todo"], config.Apps.Select(app => app.Name)));
        Assert.All(configs, config => Assert.Contains(files.TokenFile("todo-app"), config.Apps[1].Args));
        Assert.Equal((PostgresRole.Primary, (string?)null, 5432, "127.0.0.21"), (configs[0].Postgres!.Role, configs[0].Postgres!.Upstream, configs[0].Postgres!.Port, configs[0].AdvertiseAddress));
        Assert.Equal((PostgresRole.Replica, "node-1"), (configs[1].Postgres!.Role, configs[1].Postgres!.Upstream));
        Assert.Null(configs[2].Postgres);
        Assert.Equal(LabPostgres.DataDirectory(_stateDirectory, "node-2"), configs[1].Postgres!.DataDir);
        Assert.False(configs[0].Postgres!.SynchronousCommit);
        foreach (var secret in LabPostgres.Secrets.Select(files.SecretFile).Append(files.TokenFile("todo-app")))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(secret));
            Assert.NotEmpty(File.ReadAllText(secret));
        }

        Assert.Equal([8301, 8500, 5432], topology.AppNodes[1].Ports);
        Assert.Equal([8301, 8500], topology.AppNodes[2].Ports);
    }

    [Fact]
    public void WriteAll_WithoutPostgres_NoTodoAppNoMemberNoPasswords()
    {
        var (files, topology) = Create();

        files.WriteAll(LabTokens.Generate(topology));

        var config = NodeAgentConfigLoader.LoadFile(files.NodeConfigFile(topology.AppNodes[0])).GetConfigOrThrow();
        Assert.Equal(["web"], config.Apps.Select(app => app.Name));
        Assert.Null(config.Postgres);
        Assert.False(Directory.Exists(Path.GetDirectoryName(files.SecretFile(LabPostgres.TodoSecret))));
    }

    [Theory]
    [InlineData(false, 5, 60, 100, 50, 1, 10, 10, 30, 60, 120)]
    [InlineData(true, 1, 10, 100, 40, 1, 4, 1, 2, 3, 6)]
    public void WriteAll_ScalerTimings_ScalerYamlLoadsWithThoseTimings(
        bool fast, int scrapeSeconds, int windowSeconds, double upper, double lower, int min, int max,
        int evaluationSeconds, int upCooldownSeconds, int downCooldownSeconds, int stabilizationSeconds)
    {
        var (files, topology) = Create(fast);

        files.WriteAll(LabTokens.Generate(topology));

        var config = ScalerConfigLoader.LoadFile(files.ScalerConfigFile(topology.AppNodes[0])).GetConfigOrThrow();
        Assert.Equal(("node-1", "discovery"), (config.Node, config.Prefix));
        Assert.Equal((TimeSpan.FromSeconds(scrapeSeconds), TimeSpan.FromSeconds(windowSeconds)), (config.Metrics.ScrapeInterval, config.Metrics.Window));
        var policy = Assert.Single(config.Apps, app => app.Name == "web").Policy;
        Assert.Equal((upper, lower, min, max), (policy.UpperRpm, policy.LowerRpm, policy.Min, policy.Max));
        Assert.Equal(
            new[] { evaluationSeconds, upCooldownSeconds, downCooldownSeconds, stabilizationSeconds }.Select(seconds => TimeSpan.FromSeconds(seconds)),
            [policy.EvaluationInterval, policy.ScaleUpCooldown, policy.ScaleDownCooldown, policy.ScaleDownStabilization]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WriteAll_EitherTimings_RendererYamlLoadsAndRegistersTheLoadBalancer(bool fast)
    {
        var (files, topology) = Create(fast);

        files.WriteAll(LabTokens.Generate(topology));

        var config = RendererConfigLoader.LoadFile(files.RendererConfigFile).GetConfigOrThrow();
        Assert.Equal(("lb1", files.RenderedUpstreams, files.Shared(LabConfigFiles.UpstreamsTemplate)), (config.Name, config.Templates[0].Destination, config.Templates[0].Source));
        Assert.Equal(new LoadBalancerRegistrationConfig("127.0.0.5", 8080, topology.StubStatusAddress.ToString()), config.Register);
        Assert.Equal(files.TokenFile("renderer"), config.Consul.TokenFile);
    }

    [Fact]
    public void WriteAll_Secrets_ServersGetTheManagementTokenClientsOnlyTheirAgentToken()
    {
        var (files, topology) = Create();
        var tokens = LabTokens.Generate(topology);

        files.WriteAll(tokens);

        var server = File.ReadAllText(files.ConsulSecretsFile(topology.Servers[0]));
        var client = File.ReadAllText(files.ConsulSecretsFile(topology.AppNodes[0]));
        Assert.Contains(tokens.Management, server);
        Assert.DoesNotContain(tokens.Management, client);
        Assert.Contains(tokens.ConsulAgents["node-1"], client);
    }

    [Fact]
    public void ConsulArgs_Server_SharedFileThenPerLabFlagsAndRetryJoinToTheOtherServers()
    {
        var (files, topology) = Create();

        var args = files.ConsulArgs(topology.Servers[1]);

        Assert.Equal(files.Shared("consul/server.hcl"), args[2]);
        Assert.Equal(["127.0.0.11:8301", "127.0.0.13:8301"], args.Select((arg, i) => (arg, i)).Where(pair => pair.arg == "-retry-join").Select(pair => args[pair.i + 1]));
        Assert.Contains("-server-port", args);
    }

    [Theory]
    [InlineData("127.0.0", 3, 2, "127.0.0.11", "127.0.0.23", "127.0.0.5", 2)]
    [InlineData("127.42.7", 1, 0, "127.42.7.11", "127.42.7.21", "127.42.7.5", 0)]
    [InlineData("127.0.0", 5, 5, "127.0.0.11", "127.0.0.25", "127.0.0.5", 5)]
    public void Create_PrefixAndCounts_Layout(string prefix, int nodes, int scalers, string firstServer, string lastNode, string lb, int scalerCount)
    {
        var topology = LabTopology.Create(prefix, nodes, scalers);

        Assert.Equal(IPAddress.Parse(firstServer), topology.Servers[0].Address);
        Assert.Equal(3, topology.Servers.Count);
        Assert.Equal(IPAddress.Parse(lastNode), topology.AppNodes[^1].Address);
        Assert.Equal(IPAddress.Parse(lb), topology.LoadBalancer.Address);
        Assert.Equal(scalerCount, topology.AppNodes.Count(node => node.RunsScaler));
        Assert.Equal(3 + 1 + nodes, topology.All.Select(host => host.Address).Distinct().Count());
    }

    [Theory]
    [InlineData("127.0.0", 3, 2, 0)]
    [InlineData("127.0.0", 3, 4, 1)]
    [InlineData("127.0.0", 0, 0, 1)]
    [InlineData("10.0.0", 3, 2, 1)]
    [InlineData("127.0.0.1", 3, 2, 1)]
    [InlineData("127.0.300", 3, 2, 1)]
    [InlineData("127.0.0", 2, 0, 0, true)]
    [InlineData("127.0.0", 1, 0, 1, true)]
    [InlineData("127.0.0", 3, 2, 1, false, true)]
    public void Validate_Options_ErrorCount(string prefix, int nodes, int scalers, int errors, bool postgres = false, bool postgresSync = false)
    {
        var options = new LabOptions
        {
            StateDirectory = "/tmp/x", RepoRoot = "/tmp", ConsulBinary = "consul", AddressPrefix = prefix, Nodes = nodes, Scalers = scalers,
            WithPostgres = postgres, PostgresSynchronousCommit = postgresSync,
        };

        Assert.Equal(errors, options.Validate().Count);
    }

    private (LabConfigFiles Files, LabTopology Topology) Create(bool fast = false, bool postgres = false)
    {
        var options = new LabOptions
        {
            StateDirectory = _stateDirectory,
            RepoRoot = ToolPaths.RepoRoot,
            ConsulBinary = ToolPaths.Consul,
            WebAppAssembly = "/opt/webapp/Discovery.WebApp.dll",
            Fast = fast,
            WithPostgres = postgres,
            TodoAppAssembly = postgres ? "/opt/todo/Discovery.TodoApp.dll" : null,
        };
        var topology = LabTopology.Create(options.AddressPrefix, options.Nodes, options.Scalers, postgres);
        return (new LabConfigFiles(options, topology), topology);
    }
}
