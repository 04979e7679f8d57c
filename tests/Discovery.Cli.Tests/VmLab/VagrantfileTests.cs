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
    /// Issue 12, finding 4: every VM used to receive every secret. Now each machine's synced secrets
    /// folder holds the gossip key and its own tokens; servers also the management token and every
    /// token's IDs (they create the tokens); no client ever gets the management token or another
    /// client's token.
    /// </summary>
    [VagrantFact]
    public async Task VagrantValidate_DefaultLab_EachMachineGetsOnlyItsOwnSecrets()
    {
        Dictionary<string, string[]> received = [];
        var result = await ValidateAsync(new Dictionary<string, string>(), lab =>
        {
            foreach (var machine in Directory.GetDirectories(Path.Combine(lab, "machines")))
            {
                received[Path.GetFileName(machine)] = Directory.GetFiles(machine, "*", SearchOption.AllDirectories)
                    .Select(file => Path.GetRelativePath(machine, file)).Order(StringComparer.Ordinal).ToArray();
            }
        });

        Assert.True(result.ExitCode == 0, "vagrant validate: " + result.Describe());
        Assert.Equal(["consul1", "consul2", "consul3", "lb1", "pg1", "pg2", "web1", "web2"], received.Keys.Order(StringComparer.Ordinal));
        string[] tls = ["tls/agent-key.pem", "tls/agent.pem", "tls/ca.pem"];
        Assert.Equal(["gossip.key", "postgres/todo.password", .. tls, "tokens/consul-agent-web2.secret", "tokens/node-agent-web2.secret", "tokens/operator.secret", "tokens/todo-app.secret"], received["web2"]);
        Assert.Equal(["gossip.key", "postgres/todo.password", .. tls, "tokens/consul-agent-web1.secret", "tokens/node-agent-web1.secret", "tokens/operator.secret", "tokens/scaler-web1.secret", "tokens/todo-app.secret"], received["web1"]);
        Assert.Equal(["gossip.key", .. tls, "tokens/consul-agent-lb1.secret", "tokens/operator.secret", "tokens/renderer-lb1.secret", "tokens/scaler-lb1.secret"], received["lb1"]);
        Assert.Equal(["gossip.key", "postgres/replication.password", "postgres/superuser.password", "postgres/todo.password", .. tls, "tokens/consul-agent-pg2.secret", "tokens/operator.secret", "tokens/pg-node-agent-pg2.secret"], received["pg2"]);
        Assert.Contains("tokens/management.secret", received["consul1"]);
        Assert.Contains("tokens/node-agent-web2.accessor", received["consul2"]);
        Assert.All(received.Values, files => Assert.DoesNotContain(files, file => file.Contains("ca-key", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Runs `vagrant validate` on the repository's Vagrantfile with every side effect (generated
    /// lab secrets, .vagrant state, Vagrant's home) in a temp dir, so the worktree stays clean.
    /// </summary>
    /// <param name="inspectLab">Reads the lab folder the Vagrantfile wrote, before it is deleted.</param>
    private static async Task<CommandResult> ValidateAsync(Dictionary<string, string> settings, Action<string>? inspectLab = null)
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
            var result = await ExternalCommand.RunAsync(
                VagrantFactAttribute.VagrantPath!, ["validate", "--ignore-provider"], Timeout, environment, VmLabFiles.Root, CancellationToken.None);
            inspectLab?.Invoke(environment["DISCOVERY_LAB_DIR"]);
            return result;
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
