namespace Discovery.Cli.Tests.VmLab;

/// <summary>Every provisioning script parses (bash -n) and passes shellcheck, following sources.</summary>
public sealed class ShellScriptTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Scripts() => VmLabFiles.AsTheoryData(VmLabFiles.ShellScripts());

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void ShellScripts_VagrantFolder_AreFoundAndExecutable()
    {
        var scripts = VmLabFiles.ShellScripts();

        Assert.Contains("vagrant/provision/base.sh", scripts);
        Assert.Contains("vagrant/host/publish.sh", scripts);
        Assert.Contains("vagrant/docker/build-image.sh", scripts);
        Assert.Contains("scripts/vm-lab-check", scripts);
        var notExecutable = scripts
            .Where(script => !File.GetUnixFileMode(VmLabFiles.FullPath(script)).HasFlag(UnixFileMode.UserExecute))
            .ToList();
        Assert.True(notExecutable.Count == 0, "not executable (git update-index --chmod=+x): " + string.Join(", ", notExecutable));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task BashSyntaxCheck_Script_Passes(string script)
    {
        var result = await ExternalCommand.RunAsync(
            "bash", ["-n", VmLabFiles.FullPath(script)], Timeout, null, VmLabFiles.Root, CancellationToken.None);

        Assert.True(result.ExitCode == 0, $"bash -n {script}: {result.Describe()}");
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task ShellCheck_Script_HasNoFindings(string script)
    {
        // -x follows `source` (scripts say `source-path=SCRIPTDIR`); default severity = style too.
        var result = await ExternalCommand.RunAsync(
            "shellcheck", ["-x", "--format=gcc", VmLabFiles.FullPath(script)], Timeout, null, VmLabFiles.Root, CancellationToken.None);

        Assert.True(result.ExitCode == 0, $"shellcheck {script}: {result.Describe()}");
    }
}
