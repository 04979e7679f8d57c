using Discovery.Core.Tests.Rendering.Hosting;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>
/// The peer loop (peers.ctmpl pushed to nginx) with the structure loop next to it, against real
/// Consul, real nginx and real backends: instance changes route without a reload, routed is what
/// nginx reports, and restarts of nginx or of the renderer never leave nginx empty or stale.
/// </summary>
public sealed class PeerSetServiceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_InstancesComeAndGo_RoutedWithoutAnyReload()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        var b = await rig.AddBackendAsync("n2");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        var (reloads, pushes) = (rig.Service.Reloads, rig.Peers!.Pushes);
        var workers = rig.Nginx.WorkerPids();

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "test says critical");
        await rig.EventuallyRoutesAsync([b.Name]);
        var c = await rig.AddBackendAsync("n3");
        await rig.EventuallyRoutesAsync([b.Name, c.Name]);
        await rig.Client.Agent.PassTtlAsync(RendererTestRig.CheckIdOf(a.Name), "back");
        await rig.EventuallyRoutesAsync([a.Name, b.Name, c.Name]);

        Assert.Equal(reloads, rig.Service.Reloads);
        Assert.True(rig.Peers.Pushes >= pushes + 3, $"pushes {rig.Peers.Pushes}, before {pushes}");
        Assert.Equal(workers, rig.Nginx.WorkerPids());
        Assert.DoesNotContain(a.Name, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AfterPush_RoutedKeyIsNginxsOwnView()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        var b = await rig.AddBackendAsync("n2");
        rig.StartRenderer();
        await rig.EventuallyRoutedKeyAsync([a.Name, b.Name]);

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "critical");

        await rig.EventuallyRoutedKeyAsync([b.Name]);
        Assert.Equal($"web {rig.BackendAddress}:{b.Port} 1 {b.Name}\n", await File.ReadAllTextAsync(rig.Nginx.PeersFile));
    }

    [Fact]
    public async Task Run_NoPassingInstance_NginxAnswers503()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "down");

        await rig.EventuallyRoutesAsync(["503"]);
        await rig.EventuallyRoutedKeyAsync([]);
    }

    [Fact]
    public async Task Run_InstanceWithUnusableAddress_SkippedWithReasonOthersRouted()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);

        await rig.RegisterAsync("web-bad-80", "no such host", 80);
        var b = await rig.AddBackendAsync("n2");

        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        await rig.EventuallyRoutedKeyAsync([a.Name, b.Name]);
        Assert.DoesNotContain("web-bad-80", await File.ReadAllTextAsync(rig.Nginx.PeersFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NginxRestartedWhileRendererStopped_RoutesAtOnceFromSavedSet()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        var b = await rig.AddBackendAsync("n2");
        rig.StartRenderer();
        await rig.EventuallyRoutedKeyAsync([a.Name, b.Name]);
        await rig.StopRendererAsync();

        await rig.Nginx.StopAsync();
        await rig.Nginx.StartProcessAsync();

        Assert.Equal([a.Name, b.Name], (await rig.SampleAsync()).Order());
    }

    [Fact]
    public async Task Run_NginxRestartedFromAnOlderFile_RendererPushesTheCurrentSetAgain()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        var b = await rig.AddBackendAsync("n2");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        var corrections = rig.Peers!.Corrections;

        // As if nginx restarted before the renderer could save its last push.
        await rig.Nginx.StopAsync();
        await File.WriteAllTextAsync(rig.Nginx.PeersFile, $"web {rig.BackendAddress}:{a.Port} 1 {a.Name}\n");
        await rig.Nginx.StartProcessAsync();

        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        Assert.Equal(corrections + 1, rig.Peers.Corrections);
    }

    [Fact]
    public async Task Run_RendererRestartedAfterChanges_PushesTheCurrentSetAtOnce()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        await rig.StopRendererAsync();

        var b = await rig.AddBackendAsync("n2");
        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "gone while the renderer was down");
        Assert.Equal([a.Name], await rig.SampleAsync()); // nginx keeps its last set meanwhile
        rig.StartRenderer();

        await rig.EventuallyRoutesAsync([b.Name]);
    }

    [Fact]
    public async Task Run_NginxNotRunningAtFirst_SetSavedAndNginxStartsWithIt()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        await rig.Nginx.StopAsync();
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Peers!.Saves > 0), Timeout, () => $"nothing saved: {rig.Peers!.LastError}");
        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Service.Installs > 0), Timeout, () => $"nothing installed: {rig.Service.LastError}");

        await rig.Nginx.StartProcessAsync();

        Assert.Equal([a.Name], await rig.SampleAsync());
        await rig.EventuallyRoutedKeyAsync([a.Name]);
    }
}
