using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Targets;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Targets;

/// <summary>Validate-then-swap of one file, with the real nginx binary as the check and real shell checks.</summary>
public sealed class FileTargetTests(ITestOutputHelper output) : IDisposable
{
    private const string Valid = "upstream web {\n    server 127.0.0.1:9001 max_fails=0;\n}\nmap $host $discovery_app {\n    default web;\n}\nmap $discovery_app $discovery_app_known {\n    default 1;\n}\n";

    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-file-target-").FullName;

    [Fact]
    public async Task ApplyAsync_NginxCheckAccepts_SwapsInWithoutLeftovers()
    {
        await using var nginx = await NginxTestServer.StartAsync(output, start: false);
        var target = NginxTarget(nginx);

        var change = await target.ApplyAsync(Valid, CancellationToken.None);

        Assert.Equal(TargetChangeKind.Changed, change.Kind);
        Assert.Equal(Valid, await File.ReadAllTextAsync(nginx.UpstreamsFile));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(nginx.UpstreamsFile)!, ".*"));
    }

    [Fact]
    public async Task ApplyAsync_SameContentTwice_SecondIsUnchanged()
    {
        await using var nginx = await NginxTestServer.StartAsync(output);
        var target = NginxTarget(nginx);

        Assert.Equal(TargetChangeKind.Changed, (await target.ApplyAsync(Valid, CancellationToken.None)).Kind);
        Assert.Equal(TargetChangeKind.Unchanged, (await target.ApplyAsync(Valid, CancellationToken.None)).Kind);
    }

    [Theory]
    [InlineData("upstream web {\n}\n", "no servers are inside upstream")]
    [InlineData("upstream web { server 127.0.0.1:1; }\n", "discovery_app")] // the maps nginx.conf uses are missing
    [InlineData("this is not nginx;\n", "unknown directive")]
    public async Task ApplyAsync_NginxRejectsCandidate_KeepsLastGoodFileAndReportsNginxError(string candidate, string expectedInError)
    {
        await using var nginx = await NginxTestServer.StartAsync(output);
        var target = NginxTarget(nginx);
        var before = await File.ReadAllTextAsync(nginx.UpstreamsFile);

        var change = await target.ApplyAsync(candidate, CancellationToken.None);

        Assert.Equal(TargetChangeKind.Failed, change.Kind);
        Assert.Contains(expectedInError, change.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(nginx.UpstreamsFile));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(nginx.UpstreamsFile)!, ".*"));
    }

    [Fact]
    public async Task ApplyAsync_ShellCheck_SeesTheCandidateNotTheDestination()
    {
        var destination = Path.Combine(_folder, "app.conf");
        await File.WriteAllTextAsync(destination, "old\n");
        var seen = Path.Combine(_folder, "seen");
        var check = new CommandCheck(new CommandLine([$"cp \"$DISCOVERY_CANDIDATE\" {seen} && grep -q good \"$DISCOVERY_CANDIDATE\""]), TimeSpan.FromSeconds(10));
        var target = new FileTarget(destination, null, check, [], createFolder: false);

        var rejected = await target.ApplyAsync("bad\n", CancellationToken.None);
        Assert.Equal(TargetChangeKind.Failed, rejected.Kind);
        Assert.Contains("exit code 1", rejected.Error, StringComparison.Ordinal);
        Assert.Equal("old\n", await File.ReadAllTextAsync(destination));
        Assert.Equal("bad\n", await File.ReadAllTextAsync(seen));

        var accepted = await target.ApplyAsync("good\n", CancellationToken.None);
        Assert.Equal(TargetChangeKind.Changed, accepted.Kind);
        Assert.Equal("good\n", await File.ReadAllTextAsync(destination));
    }

    [Fact]
    public async Task ApplyAsync_CheckOutlivesTimeout_IsKilledAndRejected()
    {
        var destination = Path.Combine(_folder, "slow.conf");
        var target = new FileTarget(destination, null, new CommandCheck(new CommandLine(["sleep 30"]), TimeSpan.FromMilliseconds(300)), [], createFolder: false);

        var started = DateTime.UtcNow;
        var change = await target.ApplyAsync("x\n", CancellationToken.None);

        Assert.Equal(TargetChangeKind.Failed, change.Kind);
        Assert.Contains("timed out", change.Error, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.False(File.Exists(destination));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task ApplyAsync_PermsAndMissingFolder_CreatesFolderAndSetsMode()
    {
        var destination = Path.Combine(_folder, "new", "deeper", "secret.conf");
        var target = new FileTarget(destination, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, null, [], createFolder: true);

        var change = await target.ApplyAsync("s\n", CancellationToken.None);

        Assert.Equal(TargetChangeKind.Changed, change.Kind);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(destination));
    }

    [Fact]
    public async Task Undo_AfterChange_RestoresPreviousContentOrRemovesNewFile()
    {
        var existing = Path.Combine(_folder, "existing.conf");
        await File.WriteAllTextAsync(existing, "v1\n");
        var fresh = Path.Combine(_folder, "fresh.conf");

        var first = await new FileTarget(existing, null, null, [], createFolder: false).ApplyAsync("v2\n", CancellationToken.None);
        var second = await new FileTarget(fresh, null, null, [], createFolder: false).ApplyAsync("v1\n", CancellationToken.None);
        await first.Undo!(CancellationToken.None);
        await second.Undo!(CancellationToken.None);

        Assert.Equal("v1\n", await File.ReadAllTextAsync(existing));
        Assert.False(File.Exists(fresh));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static FileTarget NginxTarget(NginxTestServer nginx)
    {
        var control = new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile);
        return new FileTarget(nginx.UpstreamsFile, null, new NginxConfigCheck(control), [new NginxReloadCommand(control)], createFolder: false);
    }
}
