using Discovery.Core.Rendering.Configuration;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>
/// The structure loop (upstreams.ctmpl: one upstream per app) against real Consul, real nginx and
/// real backends; which instances serve is the peer loop's job (PeerSetServiceTests).
/// </summary>
public sealed class RendererServiceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_AppAdded_ReloadsOnceAndRoutesIt()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        var reloads = rig.Service.Reloads;

        var api = await rig.AddBackendAsync("n1", service: "api");

        await RendererTestRig.EventuallyAsync(
            async () => (await rig.Nginx.GetAsync("/", "api.test")).Body == api.Name, Timeout, () => $"api not routed; renderer: {rig.Service.LastError}");
        Assert.Equal(reloads + 1, rig.Service.Reloads);
        Assert.Contains("upstream api {", await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CatalogChangeNotAlteringOutput_SkipsWithoutReload()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        await Task.Delay(500); // let the start-up renders settle before taking the counters
        var (reloads, skips) = (rig.Service.Reloads, rig.Service.Skips);

        // Not tagged "discovery": the catalog changes, the rendered upstreams do not.
        await rig.RegisterAsync("other-1", "127.0.0.1", 1234, service: "other", tags: ["unrelated"]);

        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Service.Skips > skips), Timeout, () => $"no skipped render (renders {rig.Service.Renders})");
        Assert.Equal(reloads, rig.Service.Reloads);
        Assert.Equal(0, rig.Service.Failures);
    }

    [Fact]
    public async Task Run_OutputNginxRejects_KeepsLastGoodConfigServingAndSaysWhy()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        var good = await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile);

        // A service name with a space renders "upstream bad app {", which nginx refuses.
        await rig.RegisterAsync("bad-app-1", "127.0.0.1", 80, service: "bad app");

        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Service.Failures > 0), Timeout, () => "no failure recorded");
        Assert.Contains("nginx rejected", rig.Service.LastError, StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.Equal([a.Name], await rig.SampleAsync());

        // The next change that renders a valid config is installed again.
        await rig.Client.Agent.DeregisterServiceAsync("bad-app-1");
        await rig.RegisterAsync("api-n1-1", rig.BackendAddress.ToString(), a.Port, service: "api");
        await RendererTestRig.EventuallyAsync(
            async () => (await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile)).Contains("upstream api {", StringComparison.Ordinal) && rig.Service.LastError is null,
            Timeout,
            () => $"api never installed: {rig.Service.LastError}");
    }

    [Fact]
    public async Task Run_ConsulStopped_LastGoodConfigKeepsServing()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        var good = await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile);
        var peers = await File.ReadAllTextAsync(rig.Nginx.PeersFile);
        var (installs, pushes) = (rig.Service.Installs, rig.Peers!.Pushes);

        await rig.Consul.KillAsync();
        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Data.IsDegraded && rig.PeersData!.IsDegraded), Timeout, () => "watches did not notice Consul is gone");
        await Task.Delay(TimeSpan.FromSeconds(2)); // several failed watch rounds

        Assert.Equal(good, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.Equal(peers, await File.ReadAllTextAsync(rig.Nginx.PeersFile));
        Assert.Equal((installs, pushes), (rig.Service.Installs, rig.Peers.Pushes));
        Assert.Equal([a.Name], await rig.SampleAsync());
    }

    [Fact]
    public async Task Run_ConsulUnreachableFromStart_WritesNothing()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        await rig.Consul.KillAsync();

        rig.StartRenderer();

        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Data.IsDegraded), Timeout, () => "watches did not notice Consul is gone");
        await Task.Delay(TimeSpan.FromSeconds(2)); // several failed watch rounds
        Assert.Equal(0, rig.Service.Renders);
        Assert.Equal((0, 0), (rig.Peers!.Pushes, rig.Peers.Saves));
        Assert.Equal(Discovery.Testing.Nginx.NginxTestServer.EmptyUpstreams, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.False(File.Exists(rig.Nginx.PeersFile));
    }

    [Fact]
    public async Task Run_BurstOfAppsWithinWaitMin_InstallsOnce()
    {
        await using var rig = await RendererTestRig.StartAsync(output, new QuiescenceWait(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(10)));
        var a = await rig.AddBackendAsync("n1");
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        await Task.Delay(1500); // past any start-up quiescence
        var installs = rig.Service.Installs;

        for (var i = 0; i < 5; i++)
        {
            await rig.RegisterAsync($"burst{i}-n1-1", "127.0.0.1", 9100 + i, service: $"burst{i}");
        }

        await RendererTestRig.EventuallyAsync(
            async () => (await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile)).Contains("upstream burst4 {", StringComparison.Ordinal), Timeout, () => "burst not rendered");
        await Task.Delay(1500); // a second install would have happened by now
        Assert.Equal(installs + 1, rig.Service.Installs);
    }
}
