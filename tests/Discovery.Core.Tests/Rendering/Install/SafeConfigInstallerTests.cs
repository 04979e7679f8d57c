using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Install;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Install;

/// <summary>Safe install against the real nginx binary, with nginx running and not.</summary>
public sealed class SafeConfigInstallerTests(ITestOutputHelper output)
{
    private const string Valid = "upstream web {\n    server 127.0.0.1:9001 max_fails=0;\n}\nmap $host $discovery_app {\n    default web;\n}\nmap $discovery_app $discovery_app_known {\n    default 1;\n}\n";

    [Fact]
    public async Task InstallAsync_NginxNotRunning_ValidatesAndInstallsWithoutReload()
    {
        await using var nginx = await NginxTestServer.StartAsync(output, start: false);
        var installer = Installer(nginx);

        var outcome = await installer.InstallAsync(Valid, CancellationToken.None);

        Assert.Equal(new InstallOutcome(InstallResult.Installed), outcome);
        Assert.Equal(Valid, await File.ReadAllTextAsync(nginx.UpstreamsFile));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(nginx.UpstreamsFile)!, ".*"));
    }

    [Fact]
    public async Task InstallAsync_SameContentTwice_SecondIsUnchanged()
    {
        await using var nginx = await NginxTestServer.StartAsync(output);
        var installer = Installer(nginx);

        Assert.Equal(InstallResult.InstalledAndReloaded, (await installer.InstallAsync(Valid, CancellationToken.None)).Result);
        Assert.Equal(InstallResult.Unchanged, (await installer.InstallAsync(Valid, CancellationToken.None)).Result);
    }

    [Theory]
    [InlineData("upstream web {\n}\n", "no servers are inside upstream")]
    [InlineData("upstream web { server 127.0.0.1:1; }\n", "discovery_app")] // the maps nginx.conf uses are missing
    [InlineData("this is not nginx;\n", "unknown directive")]
    public async Task InstallAsync_CandidateNginxRejects_KeepsLastGoodFileAndReportsNginxError(string candidate, string expectedInError)
    {
        await using var nginx = await NginxTestServer.StartAsync(output);
        var installer = Installer(nginx);
        var before = await File.ReadAllTextAsync(nginx.UpstreamsFile);

        var outcome = await installer.InstallAsync(candidate, CancellationToken.None);

        Assert.Equal(InstallResult.Failed, outcome.Result);
        Assert.Contains(expectedInError, outcome.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(nginx.UpstreamsFile));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(nginx.UpstreamsFile)!, ".*"));
    }

    private static SafeConfigInstaller Installer(NginxTestServer nginx) =>
        new(new NginxController(new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile)), nginx.UpstreamsFile);
}
