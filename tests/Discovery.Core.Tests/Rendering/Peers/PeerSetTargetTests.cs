using Discovery.Core.Tests.Rendering.Hosting;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>
/// The peer target (peers.ctmpl pushed to nginx) inside the renderer, next to the structure
/// (upstreams.ctmpl), against real Consul, real nginx and real backends: instance changes route
/// without a reload, routed is what nginx reports, and restarts of nginx or of the renderer never
/// leave nginx empty or stale.
/// </summary>
public sealed class PeerSetTargetTests(ITestOutputHelper output)
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
        var (workers, pushes, structure) = (rig.Nginx.WorkerPids(), rig.PeerTarget.Pushes, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "test says critical");
        await rig.EventuallyRoutesAsync([b.Name]);
        var c = await rig.AddBackendAsync("n3");
        await rig.EventuallyRoutesAsync([b.Name, c.Name]);
        await rig.Client.Agent.PassTtlAsync(RendererTestRig.CheckIdOf(a.Name), "back");
        await rig.EventuallyRoutesAsync([a.Name, b.Name, c.Name]);

        Assert.Equal(workers, rig.Nginx.WorkerPids()); // a reload would have replaced every worker
        Assert.True(rig.PeerTarget.Pushes >= pushes + 3, $"pushes {rig.PeerTarget.Pushes}, before {pushes}");
        Assert.Equal(structure, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
    }

    [Fact]
    public async Task Run_AfterPush_RoutedKeyAndSavedFileAreNginxsOwnView()
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
        var pushes = rig.PeerTarget.Pushes;

        // As if nginx restarted before the renderer could save its last push: no catalog change follows.
        var older = $"web {rig.BackendAddress}:{a.Port} 1 {a.Name}\n";
        await rig.Nginx.StopAsync();
        await File.WriteAllTextAsync(rig.Nginx.PeersFile, older);
        await rig.Nginx.StartProcessAsync();
        // On a slow machine a verify tick can fall into the stop window: the renderer then saves its
        // set as the file nginx starts from, and no push is needed. A file still older once nginx
        // runs must be answered by a push (the renderer saves nginx's view again after it).
        var startedFromOlderFile = await File.ReadAllTextAsync(rig.Nginx.PeersFile) == older;

        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        if (startedFromOlderFile)
        {
            Assert.Equal(pushes + 1, rig.PeerTarget.Pushes);
        }
        else
        {
            Assert.InRange(rig.PeerTarget.Pushes, pushes, pushes + 1);
        }
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
        await RendererTestRig.EventuallyAsync(
            async () => File.Exists(rig.Nginx.PeersFile) && (await File.ReadAllTextAsync(rig.Nginx.PeersFile)).Contains(a.Name, StringComparison.Ordinal),
            Timeout,
            () => $"peer set not saved: {rig.Service.LastError}");

        await rig.Nginx.StartProcessAsync();

        Assert.Equal([a.Name], await rig.SampleAsync());
        await rig.EventuallyRoutedKeyAsync([a.Name]);
    }

    [Fact]
    public async Task Run_NewApp_RoutedOnlyOnceNginxHasItsUpstream()
    {
        // The new app's peers reach nginx within 20 ms, its upstream only with the structure's
        // reload a second later: routed must not claim it before nginx can reach it.
        await using var rig = await RendererTestRig.StartAsync(
            output, wait: new Discovery.Core.Rendering.Configuration.QuiescenceWait(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)),
            peersWait: new Discovery.Core.Rendering.Configuration.QuiescenceWait(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)));
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutedKeyAsync([a.Name]);

        var api = await rig.AddBackendAsync("n1", service: "api");
        await rig.EventuallyRoutedKeyAsync([a.Name, api.Name]);

        var (status, body) = await rig.Nginx.GetAsync("/", "api.test");
        Assert.Equal((System.Net.HttpStatusCode.OK, api.Name), (status, body));
    }

    [Fact]
    public async Task Run_StructureWaitsForItsBurstPeersFollowAtOnce()
    {
        // The structure's wait (800 ms quiet) holds a reload back; the peer set's (20 ms) does not hold instances back.
        await using var rig = await RendererTestRig.StartAsync(
            output, wait: new Discovery.Core.Rendering.Configuration.QuiescenceWait(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(5)),
            peersWait: new Discovery.Core.Rendering.Configuration.QuiescenceWait(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)));
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        await Task.Delay(1500);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var b = await rig.AddBackendAsync("n2");
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);

        output.WriteLine($"new instance routed after {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(800), $"the peer set waited for the structure's quiescence ({clock.ElapsedMilliseconds} ms)");
    }
}
