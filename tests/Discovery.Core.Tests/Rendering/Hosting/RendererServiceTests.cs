using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>
/// The render loop against real Consul, real nginx and real backends, rendering what the labs
/// render: the structure (upstreams.ctmpl, nginx.UpstreamsFile) and the peer set (peers.ctmpl,
/// pushed to nginx and saved as nginx.PeersFile), so instance IDs show up in the peer file.
/// </summary>
public sealed class RendererServiceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Run_InstanceGoesCritical_NginxStopsRoutingToIt()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        var b = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "test says critical");

        await rig.EventuallyRoutesAsync([b.Name]);
        Assert.DoesNotContain(a.Name, await File.ReadAllTextAsync(rig.Nginx.PeersFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NewPassingInstance_IsRouted()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);

        var b = await rig.AddBackendAsync();

        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
    }

    [Fact]
    public async Task Run_NoPassingInstance_NginxAnswers503()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "down");

        await rig.EventuallyRoutesAsync(["503"]);
    }

    [Fact]
    public async Task Run_CatalogChangeNotAlteringOutput_SkipsWithoutReload()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        await Task.Delay(500); // let the start-up renders settle before taking the counters
        var (changes, skips) = (rig.Service.Changes, rig.Service.Skips);

        // Not tagged "discovery": the catalog changes, the rendered upstreams do not.
        await rig.RegisterAsync("other-1", "127.0.0.1", 1234, service: "other", tags: ["unrelated"]);

        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Service.Skips > skips), Timeout, () => $"no skipped render (renders {rig.Service.Renders})");
        Assert.Equal(changes, rig.Service.Changes);
        Assert.Equal(0, rig.Service.Failures);
    }

    [Fact]
    public async Task Run_OutputNginxRejects_KeepsLastGoodConfigServingAndSaysWhy()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        var good = await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile);

        // Every value is valid for its place (a name with a space would be dropped before the
        // template, issue 12), but nginx compares upstream names without case: "Web" next to "web" is refused.
        await rig.RegisterAsync("bad-app-1", "127.0.0.1", 80, service: "Web");

        // The structure's own health (the peer template renders fine and clears the service's last error).
        string? UpstreamsError() => rig.Health.Snapshot(DateTimeOffset.UtcNow).Templates[0].LastError;
        await RendererTestRig.EventuallyAsync(
            () => Task.FromResult(UpstreamsError()?.Contains("rejected the rendered", StringComparison.Ordinal) == true), Timeout, () => $"no nginx rejection recorded: {UpstreamsError()}");
        Assert.Contains("duplicate upstream", UpstreamsError(), StringComparison.Ordinal);
        Assert.Equal(good, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.Equal([a.Name], await rig.SampleAsync());

        // The next change that renders a valid config is installed again.
        await rig.Client.Agent.DeregisterServiceAsync("bad-app-1");
        var b = await rig.AddBackendAsync();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        await RendererTestRig.EventuallyAsync(() => Task.FromResult(UpstreamsError() is null), Timeout, () => $"still failing: {UpstreamsError()}");
    }

    [Fact]
    public async Task Run_ConsulStopped_LastGoodConfigKeepsServing()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        var good = await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile);
        var peers = await File.ReadAllTextAsync(rig.Nginx.PeersFile);
        var installs = rig.Service.Changes;

        await rig.Consul.KillAsync();
        await RendererTestRig.EventuallyAsync(() => Task.FromResult(rig.Data.IsDegraded), Timeout, () => "watches did not notice Consul is gone");
        await Task.Delay(TimeSpan.FromSeconds(2)); // several failed watch rounds

        Assert.Equal(good, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.Equal(peers, await File.ReadAllTextAsync(rig.Nginx.PeersFile));
        Assert.Equal(installs, rig.Service.Changes);
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
        Assert.Equal(Discovery.Testing.Nginx.NginxTestServer.EmptyUpstreams, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        Assert.False(File.Exists(rig.Nginx.PeersFile));
    }

    [Fact]
    public async Task Run_BurstOfChangesWithinWaitMin_InstallsOnce()
    {
        await using var rig = await RendererTestRig.StartAsync(output, new QuiescenceWait(TimeSpan.FromMilliseconds(800), TimeSpan.FromSeconds(10)));
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);
        await Task.Delay(1500); // past any start-up quiescence
        var installs = rig.Service.Changes;

        for (var i = 0; i < 5; i++)
        {
            await rig.RegisterAsync(rig.InstanceId(9100 + i), rig.BackendAddress.ToString(), 9100 + i);
        }

        await RendererTestRig.EventuallyAsync(
            async () => (await File.ReadAllTextAsync(rig.Nginx.PeersFile)).Contains(rig.InstanceId(9104), StringComparison.Ordinal), Timeout, () => "burst not rendered");
        await Task.Delay(1500); // a second install would have happened by now
        Assert.Equal(installs + 1, rig.Service.Changes);
    }

    [Fact]
    public async Task Run_AfterInstall_PublishesRoutedInstances()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        var b = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutedKeyAsync([a.Name, b.Name]);

        await rig.Client.Agent.FailTtlAsync(RendererTestRig.CheckIdOf(a.Name), "critical");

        await rig.EventuallyRoutedKeyAsync([b.Name]);
    }

    [Fact]
    public async Task Run_ConsulServerRestarts_RenderedFileNeverLosesItsServers()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        var b = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);
        using var watching = new CancellationTokenSource();
        var losses = WatchForLostServers(rig.Nginx.PeersFile, [a.Name, b.Name], watching.Token);

        // Dev mode keeps nothing: the restarted server answers with an empty catalog (a newer
        // leader, a lower index) until the instances are registered again, as node agents do.
        await rig.Consul.RestartAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await rig.ReRegisterAsync();
        await RendererTestRig.EventuallyAsync(
            async () => (await rig.Client.Health.ServiceAsync(RendererTestRig.App, passingOnly: true)).Value.Count == 2, Timeout, () => "instances not back");
        await Task.Delay(TimeSpan.FromSeconds(2)); // any late render would have happened by now
        await watching.CancelAsync();

        Assert.Equal([], await losses);
        Assert.True(rig.Data.HeldAnswers > 0, "the restart produced no smaller answer, so this test proved nothing");
        Assert.Equal(new[] { a.Name, b.Name }.Order(StringComparer.Ordinal), (await rig.SampleAsync()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_ConsulServerRestartsWithoutSettle_RendersTheEmptyCatalog()
    {
        // The control for the test above: with the guard off, the same restart empties the file.
        await using var rig = await RendererTestRig.StartAsync(output, outageSettle: TimeSpan.Zero);
        var a = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name]);

        await rig.Consul.RestartAsync();

        await RendererTestRig.EventuallyAsync(
            async () => !(await File.ReadAllTextAsync(rig.Nginx.PeersFile)).Contains(a.Name, StringComparison.Ordinal), Timeout, () => "file kept the server");
        await rig.ReRegisterAsync();
        await rig.EventuallyRoutesAsync([a.Name]);
    }

    [Fact]
    public async Task Run_InstanceRemovedWhileConsulSteady_IsRemovedAtOnce()
    {
        // The guard must not delay a normal scale-down: Consul was never disturbed.
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        var b = await rig.AddBackendAsync();
        rig.StartRenderer();
        await rig.EventuallyRoutesAsync([a.Name, b.Name]);

        await rig.Client.Agent.DeregisterServiceAsync(b.Name);

        await RendererTestRig.EventuallyAsync(
            async () => !(await File.ReadAllTextAsync(rig.Nginx.PeersFile)).Contains(b.Name, StringComparison.Ordinal), TimeSpan.FromSeconds(3), () => "b still rendered");
        Assert.Equal(0, rig.Data.HeldAnswers);
    }

    /// <summary>Reads the file every 20 ms; returns every moment (as text) when an expected server was missing.</summary>
    private static async Task<List<string>> WatchForLostServers(string file, string[] servers, CancellationToken cancellationToken)
    {
        var losses = new List<string>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var text = await File.ReadAllTextAsync(file, CancellationToken.None);
            foreach (var server in servers.Where(server => !text.Contains(server, StringComparison.Ordinal)))
            {
                losses.Add($"{DateTime.UtcNow:HH:mm:ss.fff} {server} missing");
            }

            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return losses;
    }

    [Fact]
    public async Task Run_TwoTemplatesChangeInOneBurst_TheirSharedCommandRunsOnce()
    {
        var folder = Directory.CreateTempSubdirectory("discovery-burst-").FullName;
        try
        {
            var runs = Path.Combine(folder, "runs");
            var command = new CommandLine([$"echo reload >> {runs}"]);
            TemplateConfig App(string name)
            {
                File.WriteAllText(Path.Combine(folder, name + ".ctmpl"), name + " {{ key \"app/version\" }}\n");
                return new TemplateConfig(Path.Combine(folder, name + ".ctmpl"), Path.Combine(folder, name + ".conf"), null, null, command, TimeSpan.FromSeconds(10), null, Routed: false, CreateDestinationFolder: false);
            }

            await using var rig = await RendererTestRig.StartAsync(output, extraTemplates: [App("a"), App("b")]);
            await rig.Client.KV.PutStringAsync("app/version", "1");
            rig.StartRenderer();
            await RendererTestRig.EventuallyAsync(() => Task.FromResult(File.Exists(runs) && File.ReadAllLines(runs).Length == 1), Timeout, () => "first render did not run the command once");

            await rig.Client.KV.PutStringAsync("app/version", "2");

            await RendererTestRig.EventuallyAsync(
                async () => (await File.ReadAllTextAsync(Path.Combine(folder, "b.conf"))) == "b 2\n", Timeout, () => "change not rendered");
            await Task.Delay(1000); // a second run would have happened by now
            Assert.Equal(["reload", "reload"], await File.ReadAllLinesAsync(runs));
            Assert.Equal("a 2\n", await File.ReadAllTextAsync(Path.Combine(folder, "a.conf")));
            Assert.All(rig.Health.Snapshot(DateTimeOffset.UtcNow).Templates, template => Assert.True(template.IsHealthy));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Run_KeyStillMissingAfterAFewSeconds_SaysSoAtInformationLevelAndRendersTheOthers()
    {
        var folder = Directory.CreateTempSubdirectory("discovery-missing-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "waits.ctmpl"), "{{ key \"app/not-there\" }}\n");
            var waiting = new TemplateConfig(Path.Combine(folder, "waits.ctmpl"), Path.Combine(folder, "waits.conf"), null, null, null, TimeSpan.FromSeconds(10), null, Routed: false, CreateDestinationFolder: false);
            await using var rig = await RendererTestRig.StartAsync(output, extraTemplates: [waiting]);
            var logs = new CapturingLoggerFactory(output);
            rig.Loggers = logs;
            var a = await rig.AddBackendAsync();

            rig.StartRenderer();

            await rig.EventuallyRoutesAsync([a.Name]); // the template that has its data is not held back
            await RendererTestRig.EventuallyAsync(
                () => Task.FromResult(logs.Contains(LogLevel.Information, "Still no data for kv.get(app/not-there)")), TimeSpan.FromSeconds(10), () => "missing key never named");
            Assert.False(File.Exists(Path.Combine(folder, "waits.conf")));
            Assert.Equal(["kv.get(app/not-there)"], rig.Health.Snapshot(DateTimeOffset.UtcNow).Templates[2].Missing);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
