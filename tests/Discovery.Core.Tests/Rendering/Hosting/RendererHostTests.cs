using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Tests.TestSupport;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary><c>agent render</c>'s entry point, end to end with real Consul and nginx.</summary>
public sealed class RendererHostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_UntilCancelled_RendersRegistersLbAndDeregistersOnExit()
    {
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync("n1");
        using var stop = new CancellationTokenSource();

        var run = RendererHost.RunAsync(rig.Config, new TestOutputLoggerFactory(output), stop.Token);

        await RendererTestRig.EventuallyAsync(
            async () => (await rig.SampleAsync(4)).SetEquals([a.Name]), TimeSpan.FromSeconds(20), () => "backend not routed");
        await RendererTestRig.EventuallyAsync(
            async () => (await rig.Client.Health.ServiceAsync("lb", passingOnly: true)).Value.Any(entry =>
                entry.Service.ID == "lb-lb1" && entry.Service.Meta!["stub_status"] == rig.Nginx.StubStatusUrl && entry.Service.Port == rig.Nginx.Port),
            TimeSpan.FromSeconds(20),
            () => "lb-lb1 not registered and passing");
        await stop.CancelAsync();
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Empty((await rig.Client.Catalog.ServiceAsync("lb")).Value);
    }

    [Fact]
    public async Task RunAsync_TemplateOutsideSubset_ExitsWithConfigError()
    {
        var template = Path.Combine(Directory.CreateTempSubdirectory("discovery-renderer-host-").FullName, "bad.ctmpl");
        await File.WriteAllTextAsync(template, "{{ range services }}{{ .Name | nosuchfunction }}{{ end }}\n");
        try
        {
            await using var rig = await RendererTestRig.StartAsync(output, template: template);

            var exitCode = await RendererHost.RunAsync(rig.Config, new TestOutputLoggerFactory(output), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(RendererHost.ConfigErrorExitCode, exitCode);
            Assert.Equal(Discovery.Testing.Nginx.NginxTestServer.EmptyUpstreams, await File.ReadAllTextAsync(rig.Nginx.UpstreamsFile));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(template)!, recursive: true);
        }
    }
}
