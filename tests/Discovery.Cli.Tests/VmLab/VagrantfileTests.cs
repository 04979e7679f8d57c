using System.Text.RegularExpressions;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>The Vagrantfile parses as Ruby, and Vagrant itself accepts it (when installed).</summary>
public sealed class VagrantfileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task RubySyntaxCheck_Vagrantfile_Passes()
    {
        var result = await ExternalCommand.RunAsync(
            "ruby", ["-c", VmLabFiles.Vagrantfile], Timeout, null, VmLabFiles.Root, CancellationToken.None);

        Assert.True(result.ExitCode == 0, "ruby -c Vagrantfile: " + result.Describe());
    }

    [Fact]
    public void Vagrantfile_ProvisioningSteps_AllExist()
    {
        var steps = Regex.Matches(File.ReadAllText(VmLabFiles.Vagrantfile), @"discovery_provision\(machine, ""(?<step>[^""]+)""")
            .Select(match => $"vagrant/provision/{match.Groups["step"].Value}.sh")
            .ToList();

        Assert.Equal(["base", "consul", "lb", "scaler", "postgres", "node-agent", "node-agent", "scaler"], steps.Select(Path.GetFileNameWithoutExtension));
        Assert.All(steps, path => Assert.True(File.Exists(VmLabFiles.FullPath(path)), $"Vagrantfile provisions {path}, which does not exist"));
    }

    /// <summary>
    /// Vagrant's `path:` provisioner uploads that one file to /tmp/vagrant-shell, away from lib.sh and
    /// the shared files: the lab failed at its first provisioner that way. Provisioning runs the
    /// scripts from the synced /vagrant instead.
    /// </summary>
    [Fact]
    public void Vagrantfile_Provisioners_RunTheSyncedScriptsNotUploadedCopies()
    {
        var vagrantfile = File.ReadAllText(VmLabFiles.Vagrantfile);

        Assert.DoesNotMatch(@"(?m)^[^#\n]*\bprovision\b[^#\n]*\bpath:", vagrantfile);
        Assert.Contains("inline: \"exec bash #{PROVISION_DIR}/#{step}.sh\"", vagrantfile);
        Assert.Contains("PROVISION_DIR = \"/vagrant/vagrant/provision\"", vagrantfile);
    }

    [VagrantFact]
    public async Task VagrantValidate_DefaultLab_PassesAndDefinesEveryMachine()
    {
        var result = await ValidateAsync(new Dictionary<string, string>());

        Assert.True(result.ExitCode == 0, "vagrant validate: " + result.Describe());
        foreach (var machine in new[] { "consul1", "consul2", "consul3", "lb1", "pg1", "pg2", "web1", "web2" })
        {
            Assert.Contains($"==> {machine}:", result.StandardOutput);
        }

        Assert.DoesNotContain("==> web3:", result.StandardOutput);
    }

    [VagrantFact]
    public async Task VagrantValidate_FourWebNodes_DefinesWeb4()
    {
        var result = await ValidateAsync(new Dictionary<string, string> { ["DISCOVERY_WEB_NODES"] = "4" });

        Assert.True(result.ExitCode == 0, "vagrant validate: " + result.Describe());
        Assert.Contains("==> web4:", result.StandardOutput);
    }

    [VagrantFact]
    public async Task VagrantValidate_ZeroWebNodes_FailsNamingTheSetting()
    {
        var result = await ValidateAsync(new Dictionary<string, string> { ["DISCOVERY_WEB_NODES"] = "0" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DISCOVERY_WEB_NODES", result.StandardOutput + result.StandardError);
    }

    [VagrantFact]
    public async Task VagrantValidate_HashicorpAptUrlNotHttp_FailsNamingTheSetting()
    {
        var result = await ValidateAsync(new Dictionary<string, string> { ["DISCOVERY_HASHICORP_APT_URL"] = "not a url" });

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DISCOVERY_HASHICORP_APT_URL", result.StandardOutput + result.StandardError);
    }

    [VagrantFact]
    public async Task VagrantValidate_HashicorpAptUrlGiven_Passes()
    {
        var result = await ValidateAsync(new Dictionary<string, string> { ["DISCOVERY_HASHICORP_APT_URL"] = "https://apt.example.invalid/debian" });

        Assert.True(result.ExitCode == 0, "vagrant validate: " + result.Describe());
    }

    /// <summary>
    /// Runs `vagrant validate` on the repository's Vagrantfile with every side effect (generated
    /// lab secrets, .vagrant state, Vagrant's home) in a temp dir, so the worktree stays clean.
    /// </summary>
    private static async Task<CommandResult> ValidateAsync(Dictionary<string, string> settings)
    {
        var temp = Directory.CreateTempSubdirectory("discovery-vagrant-validate-");
        try
        {
            var environment = new Dictionary<string, string>(settings)
            {
                ["DISCOVERY_LAB_DIR"] = Path.Combine(temp.FullName, "lab"),
                ["VAGRANT_DOTFILE_PATH"] = Path.Combine(temp.FullName, "dotfile"),
                ["VAGRANT_HOME"] = Path.Combine(temp.FullName, "home"),
                ["VAGRANT_CHECKPOINT_DISABLE"] = "1",
                ["DISCOVERY_SKIP_PUBLISH"] = "1",
            };
            return await ExternalCommand.RunAsync(
                VagrantFactAttribute.VagrantPath!, ["validate", "--ignore-provider"], Timeout, environment, VmLabFiles.Root, CancellationToken.None);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
