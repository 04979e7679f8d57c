using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;

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
        var userLine = text.Split('\n').Single(line => line.TrimStart().StartsWith("user:", StringComparison.Ordinal));
        Assert.StartsWith("user: discovery-app ", userLine.Trim(), StringComparison.Ordinal);
        Assert.Contains("--user-group discovery-app", File.ReadAllText(VmLabFiles.FullPath("vagrant/provision/node-agent.sh")), StringComparison.Ordinal);

        var result = NodeAgentConfigLoader.Load(text.Replace(userLine + "\n", "", StringComparison.Ordinal), ConfigFormat.Yaml, "/etc/discovery");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(node, result.Config!.Name);
        Assert.Equal(address, result.Config.AdvertiseAddress);
        var app = Assert.Single(result.Config.Apps);
        Assert.Equal("web", app.Name);
        Assert.DoesNotContain(app.PassEnv, name => name.StartsWith("CONSUL_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vagrant/config/node.yaml", true)]
    [InlineData("vagrant/config/scaler.yaml", false)]
    [InlineData("vagrant/config/renderer.yaml", true)]
    public void LabConfig_ExpandedAsItsScriptDoes_HasNoPlaceholderLeft(string config, bool scriptReplacesAddress)
    {
        var text = Expand(config, "lb1", scriptReplacesAddress ? "192.168.56.20" : null);

        var code = string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));
        Assert.DoesNotContain("@", code, StringComparison.Ordinal);
    }

    /// <summary>The sed substitutions of vagrant/provision/{node-agent,scaler,lb}.sh (scaler.sh: @NODE@ only).</summary>
    private static string Expand(string config, string node, string? address)
    {
        var text = File.ReadAllText(VmLabFiles.FullPath(config)).Replace("@NODE@", node, StringComparison.Ordinal);
        return address is null ? text : text.Replace("@ADDRESS@", address, StringComparison.Ordinal);
    }
}
