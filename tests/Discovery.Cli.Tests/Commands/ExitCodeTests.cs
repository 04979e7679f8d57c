namespace Discovery.Cli.Tests.Commands;

/// <summary>Exit codes and help of the real `agent` binary: 0 ok, 1 runtime failure, 2 bad input.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("status", "--bogus")]
    [InlineData("load", "--url", "http://10.0.0.1/", "--rpm", "60", "--duration", "1s")]
    [InlineData("load", "--url", "http://127.0.0.1/", "--rpm", "60", "--duration", "soon")]
    [InlineData("load", "--url", "http://127.0.0.1/", "--rpm", "60")]
    [InlineData("status", "--token", "x", "--token-file", "/etc/hostname")]
    [InlineData("status", "--token-file", "/nonexistent/token")]
    [InlineData("status", "--json", "--watch")]
    [InlineData("lab", "up", "--nodes", "0")]
    [InlineData("lab", "up", "--base-address", "10.0.0")]
    [InlineData("nosuchverb")]
    [InlineData("node", "--config", "/nonexistent/node.yaml")]
    [InlineData("autoscale", "web", "sideways")]
    [InlineData("scale", "web")]
    public async Task Main_BadInput_Exits2(params string[] args)
    {
        var (exitCode, _, error) = await AgentProcess.RunAsync(null, args);

        Assert.True(exitCode == 2, $"exit {exitCode}: {error}");
        Assert.StartsWith("error: ", error.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_ConsulUnreachable_Exits1WithOneClearLine()
    {
        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "status", "--consul", "127.0.0.1:1");

        Assert.Equal(1, exitCode);
        Assert.Contains("Consul is not reachable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_LoadFailsWithFailOnError_Exits1()
    {
        var (exitCode, output, _) = await AgentProcess.RunAsync(null, "load", "--url", "http://127.0.0.1:1/", "--rpm", "600", "--duration", "500ms", "--fail-on-error");

        Assert.Equal(1, exitCode);
        Assert.Contains("failed 5", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("status")]
    [InlineData("load")]
    [InlineData("lab")]
    [InlineData("lab", "up")]
    [InlineData("lab", "down")]
    [InlineData("lab", "status")]
    [InlineData("node")]
    [InlineData("scaler")]
    [InlineData("render")]
    [InlineData("scale")]
    [InlineData("autoscale")]
    public async Task Main_HelpOnEveryVerb_Exits0WithAnExample(params string[] verb)
    {
        var (exitCode, output, _) = await AgentProcess.RunAsync(null, [.. verb, "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Example", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_LabDownWithoutLab_Exits0()
    {
        var (exitCode, output, _) = await AgentProcess.RunAsync(null, "lab", "down");

        Assert.Equal(0, exitCode);
        Assert.Contains("No lab was running", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("node", "apps:\n  - name: web\n    ports: 9000-8000\n    helth: {}\n", "apps[0].ports", "apps[0].command")]
    [InlineData("scaler", "apps:\n  - name: web\n    policy: { min: 5, max: 2 }\nbogus: 1\n", "apps[0].policy", "bogus")]
    [InlineData("render", "name: lb1\nwait: { min: soon }\n", "template", "wait.min")]
    public async Task Main_InvalidConfigFile_Exits2ListingEveryProblemBeforeStarting(string verb, string yaml, string firstPath, string secondPath)
    {
        var folder = Directory.CreateTempSubdirectory("discovery-cli-config-");
        try
        {
            var file = Path.Combine(folder.FullName, verb + ".yaml");
            await File.WriteAllTextAsync(file, yaml);

            var (exitCode, _, error) = await AgentProcess.RunAsync(null, verb, "--config", file);

            Assert.True(exitCode == 2, $"exit {exitCode}: {error}");
            Assert.Contains(firstPath, error, StringComparison.Ordinal);
            Assert.Contains(secondPath, error, StringComparison.Ordinal);
            Assert.Equal([verb + ".yaml"], folder.EnumerateFileSystemInfos().Select(entry => entry.Name)); // nothing created: no data dir, no state
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("node", "name: n1\ndataDir: data\nadvertiseAddress: 127.0.0.1\napps:\n  - { name: web, command: /bin/true, ports: 9000-9009 }\n")]
    [InlineData("scaler", "apps:\n  - name: web\n")]
    [InlineData("render", "name: lb1\ntemplate: t.ctmpl\noutput: {dir}/prefix/upstreams.conf\nnginx: { binary: nginx, prefix: prefix, config: prefix/nginx.conf }\n")]
    public async Task Main_DaemonTokenFileUnreadable_Exits2NamingTheKey(string verb, string yaml)
    {
        // One connection factory: every daemon reports an unusable token file the same way, before it starts.
        var folder = Directory.CreateTempSubdirectory("discovery-cli-token-");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.FullName, "prefix"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "t.ctmpl"), "");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "prefix", "nginx.conf"), "");
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "nginx"), "");
            var file = Path.Combine(folder.FullName, verb + ".yaml");
            await File.WriteAllTextAsync(file, yaml.Replace("{dir}", folder.FullName, StringComparison.Ordinal)
                + "consul: { address: \"http://127.0.0.1:1\", tokenFile: /nonexistent/discovery.token }\n");

            var (exitCode, _, error) = await AgentProcess.RunAsync(null, verb, "--config", file);

            Assert.True(exitCode == 2, $"exit {exitCode}: {error}");
            Assert.Contains("consul.tokenFile: cannot read token file /nonexistent/discovery.token", error, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
