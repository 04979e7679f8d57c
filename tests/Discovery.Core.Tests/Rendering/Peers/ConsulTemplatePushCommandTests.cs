using System.Text.Json;
using System.Text.RegularExpressions;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>
/// consul-template mode (VM lab with HashiCorp's packages) pushes the peer set with the exec command
/// in nginx-templates/consul-template.hcl. consul-template is not installed here, so the command
/// itself runs, exactly as written there with the VM's paths pointed at a real test nginx.
/// </summary>
public sealed partial class ConsulTemplatePushCommandTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PeersExecCommand_AgainstRealNginx_PushesTheRenderedFile()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var a = await lb.AddBackendAsync("a");
        await File.WriteAllTextAsync(lb.Nginx.PeersFile, PeerTestNginx.Line(a));

        var exitCode = await RunAsync(PeersCommand(lb));

        Assert.Equal(0, exitCode);
        Assert.Equal(PeerTestNginx.Line(a), (await lb.Client.ReadAsync(CancellationToken.None)).Text);
        Assert.Equal(["a"], (await lb.SampleAsync(3)).Distinct());
    }

    [Fact]
    public async Task PeersExecCommand_SetNginxRefuses_ExitsNonZeroAndNginxKeepsItsSet()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var a = await lb.AddBackendAsync("a");
        await lb.Client.PushAsync(PeerTestNginx.Line(a), CancellationToken.None);
        await File.WriteAllTextAsync(lb.Nginx.PeersFile, "web nowhere 1 x\n");

        var exitCode = await RunAsync(PeersCommand(lb));

        Assert.NotEqual(0, exitCode);
        Assert.Equal(["a"], (await lb.SampleAsync(3)).Distinct());
    }

    /// <summary>The peers template's exec command from consul-template.hcl, with the VM lab's paths and endpoint replaced by the test nginx's.</summary>
    private static string[] PeersCommand(PeerTestNginx lb)
    {
        var hcl = File.ReadAllText(Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "consul-template.hcl"));
        var block = hcl[hcl.IndexOf("peers.ctmpl\"", StringComparison.Ordinal)..];
        var command = JsonSerializer.Deserialize<string[]>(CommandArray().Match(block).Groups["array"].Value)!;
        return [.. command.Select(part => part
            .Replace("/var/lib/discovery-lb/", lb.Nginx.Prefix.TrimEnd('/') + "/", StringComparison.Ordinal)
            .Replace("http://127.0.0.1:8091/discovery/peers", lb.Nginx.PeersEndpoint.ToString(), StringComparison.Ordinal))];
    }

    private async Task<int> RunAsync(string[] command)
    {
        await using var process = ChildProcess.Start(command[0], command[1..]);
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        output.WriteLine($"exit {exitCode}: {process.StandardOutput}{process.StandardError}");
        return exitCode;
    }

    [GeneratedRegex(@"command\s*=\s*(?<array>\[.*\])")]
    private static partial Regex CommandArray();
}
