using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Configuration;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// The VM lab's agent configs, expanded the way the provisioning scripts expand them, load through
/// the agent's real config loaders: a schema change that the lab did not follow fails here, not
/// in a VM at boot.
/// </summary>
public sealed class VmLabConfigTests
{
    [Theory]
    [InlineData("web1", "192.168.56.31")]
    [InlineData("web12", "10.0.0.42")]
    public void NodeYaml_ExpandedAsNodeAgentScriptDoes_LoadsWithoutErrors(string node, string address)
    {
        // The app's user exists only inside the VM (node-agent.sh creates it) and needs a root
        // agent: checked as text here, the rest of the file through the real loader.
        var text = Expand("vagrant/config/node.yaml", node, address);
        var userLines = text.Split('\n').Where(line => line.TrimStart().StartsWith("user:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, userLines.Count); // web and todo
        Assert.All(userLines, line => Assert.StartsWith("user: discovery-app ", line.Trim(), StringComparison.Ordinal));
        Assert.Contains("--user-group discovery-app", File.ReadAllText(VmLabFiles.FullPath("vagrant/provision/node-agent.sh")), StringComparison.Ordinal);

        var result = NodeAgentConfigLoader.Load(string.Join('\n', text.Split('\n').Where(line => !userLines.Contains(line))), ConfigFormat.Yaml, "/etc/discovery");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(node, result.Config!.Name);
        Assert.Equal(address, result.Config.AdvertiseAddress);
        Assert.Equal(["web", "todo"], result.Config.Apps.Select(app => app.Name));
        Assert.All(result.Config.Apps, app => Assert.DoesNotContain(app.PassEnv, name => name.StartsWith("CONSUL_", StringComparison.Ordinal)));
        Assert.Null(result.Config.Postgres);
    }

    [Theory]
    [InlineData("pg1", "192.168.56.41", "primary", "~", PostgresRole.Primary, null)]
    [InlineData("pg2", "192.168.56.42", "replica", "pg1", PostgresRole.Replica, "pg1")]
    public void PgNodeYaml_ExpandedAsNodeAgentScriptDoes_LoadsAsAMemberOfTheRole(string node, string address, string role, string upstream, PostgresRole expected, string? expectedUpstream)
    {
        var text = Expand("vagrant/config/pg-node.yaml", node, address, role, upstream);

        var result = NodeAgentConfigLoader.Load(text, ConfigFormat.Yaml, "/etc/discovery");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.Config!.Apps);
        var postgres = result.Config.Postgres!;
        Assert.Equal((expected, expectedUpstream, "pg", 5432), (postgres.Role, postgres.Upstream, postgres.Cluster, postgres.Port));
        Assert.Equal(["127.0.0.0/8", "192.168.56.0/24"], postgres.AllowedNetworks);
        Assert.Equal("/etc/discovery/postgres/todo.password", postgres.Database!.PasswordFile);
    }

    [Theory]
    [InlineData("vagrant/config/node.yaml", true)]
    [InlineData("vagrant/config/scaler.yaml", false)]
    [InlineData("vagrant/config/renderer.yaml", true)]
    [InlineData("vagrant/config/pg-node.yaml", true)]
    public void LabConfig_ExpandedAsItsScriptDoes_HasNoPlaceholderLeft(string config, bool scriptReplacesAddress)
    {
        var text = Expand(config, "lb1", scriptReplacesAddress ? "192.168.56.20" : null, "replica", "pg1");

        var code = string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        Assert.DoesNotContain("@", code, StringComparison.Ordinal);
    }

    /// <summary>
    /// The sed substitutions of vagrant/provision/{node-agent,scaler,lb}.sh (scaler.sh: @NODE@ only;
    /// node-agent.sh also @NETWORK@ from the address and the Vagrantfile's PG_ROLE and PG_UPSTREAM, default "~").
    /// </summary>
    private static string Expand(string config, string node, string? address, string role = "", string upstream = "~")
    {
        var text = File.ReadAllText(VmLabFiles.FullPath(config)).Replace("@NODE@", node, StringComparison.Ordinal);
        return address is null
            ? text
            : text.Replace("@ADDRESS@", address, StringComparison.Ordinal)
                .Replace("@NETWORK@", address[..address.LastIndexOf('.')] + ".0/24", StringComparison.Ordinal)
                .Replace("@ROLE@", role, StringComparison.Ordinal)
                .Replace("@UPSTREAM@", upstream, StringComparison.Ordinal);
    }
}
