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
        var text = Expand("vagrant/config/node.yaml", node, address);

        var result = NodeAgentConfigLoader.Load(text, ConfigFormat.Yaml, "/etc/discovery");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(node, result.Config!.Name);
        Assert.Equal(address, result.Config.AdvertiseAddress);
        Assert.Equal("web", Assert.Single(result.Config.Apps).Name);
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
