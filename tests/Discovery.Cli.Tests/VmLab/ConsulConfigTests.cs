using System.Text.RegularExpressions;
using Discovery.Testing.Tools;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// The shared Consul agent configs are valid for the real Consul binary, and stay free of the
/// per-lab values each lab passes as flags (consul/README.md).
/// </summary>
public sealed class ConsulConfigTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> AgentConfigs() => VmLabFiles.AsTheoryData(
        Directory.EnumerateFiles(Path.Combine(VmLabFiles.Root, "consul"), "*.hcl")
            .Select(VmLabFiles.RepoRelative)
            .Order(StringComparer.Ordinal));

    [Fact]
    public void AgentConfigs_ConsulFolder_HasServerAndClient()
    {
        var configs = Directory.EnumerateFiles(Path.Combine(VmLabFiles.Root, "consul"), "*.hcl")
            .Select(VmLabFiles.RepoRelative)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["consul/client.hcl", "consul/server.hcl"], configs);
    }

    [Theory]
    [MemberData(nameof(AgentConfigs))]
    public async Task ConsulValidate_SharedConfigWithLabValues_IsValid(string config)
    {
        var temp = Directory.CreateTempSubdirectory("discovery-consul-validate-");
        try
        {
            // What each lab adds as flags, as a file (validate needs a complete configuration).
            var labValues = Path.Combine(temp.FullName, "lab.hcl");
            await File.WriteAllTextAsync(labValues, $$"""
                data_dir    = "{{Path.Combine(temp.FullName, "data")}}"
                node_name   = "validate"
                bind_addr   = "127.0.0.1"
                client_addr = "127.0.0.1"
                retry_join  = ["127.0.0.2"]
                encrypt     = "{{Convert.ToBase64String(new byte[32])}}"
                """);

            var result = await ExternalCommand.RunAsync(
                ToolPaths.Consul, ["validate", VmLabFiles.FullPath(config), labValues], Timeout, null, VmLabFiles.Root, CancellationToken.None);

            Assert.True(result.ExitCode == 0, $"consul validate {config}: {result.Describe()}");
            Assert.Contains("Configuration is valid!", result.StandardOutput);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(AgentConfigs))]
    public void SharedConfig_AnyFile_HasNoPerLabSetting(string config)
    {
        var perLab = new Regex(
            @"^\s*(node_name|bind_addr|advertise_addr|client_addr|addresses|data_dir|datacenter|retry_join|start_join|ports|encrypt|tokens|domain)\b",
            RegexOptions.Multiline);

        var found = perLab.Matches(File.ReadAllText(VmLabFiles.FullPath(config))).Select(match => match.Value.Trim()).ToList();

        Assert.True(found.Count == 0, $"{config} sets per-lab values {string.Join(", ", found)}; pass them as flags instead");
    }
}
