using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Discovery.Testing.Tools;
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
        var a = await rig.AddBackendAsync();
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

    [Fact]
    public async Task RunAsync_YamlImportingTheShippedConsulTemplateHcl_RoutesThroughItsCommandRegistersAndPublishes()
    {
        // What the VM lab's built-in renderer would run if its renderer.yaml imported the HCL that
        // its consul-template mode reads: the HCL's paths pointed at a private nginx. The peer set
        // then goes to nginx through the HCL's own curl command.
        await using var rig = await RendererTestRig.StartAsync(output);
        var a = await rig.AddBackendAsync();
        var folder = Directory.CreateTempSubdirectory("discovery-import-hcl-").FullName;
        try
        {
            var hcl = (await File.ReadAllTextAsync(Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "consul-template.hcl")))
                .Replace("/etc/discovery/nginx-templates", Path.Combine(ToolPaths.RepoRoot, "nginx-templates"), StringComparison.Ordinal)
                .Replace("/etc/discovery-lb", Path.Combine(rig.Nginx.Prefix, "conf"), StringComparison.Ordinal)
                .Replace("/var/lib/discovery-lb/", rig.Nginx.Prefix + "/", StringComparison.Ordinal)
                .Replace("http://127.0.0.1:8091/discovery/peers", rig.Nginx.PeersEndpoint.ToString(), StringComparison.Ordinal)
                .Replace("nginx -", ToolPaths.Nginx + " -", StringComparison.Ordinal);
            await File.WriteAllTextAsync(Path.Combine(folder, "consul-template.hcl"), hcl);
            var yaml = $$"""
                name: lb1
                consul: { address: "{{rig.Consul.HttpAddress}}" }
                consulTemplateConfig: consul-template.hcl
                register: { address: {{rig.Nginx.Address}}, port: {{rig.Nginx.Port}}, stubStatusUrl: "{{rig.Nginx.StubStatusUrl}}" }
                """;
            var config = RendererConfigLoader.Load(yaml, ConfigFormat.Yaml, folder).GetConfigOrThrow();
            using var stop = new CancellationTokenSource();

            var run = RendererHost.RunAsync(config, new TestOutputLoggerFactory(output), stop.Token);

            await rig.EventuallyRoutesAsync([a.Name]);
            await rig.EventuallyRoutedKeyAsync([a.Name]);
            await RendererTestRig.EventuallyAsync(
                async () => (await rig.Client.Health.ServiceAsync("lb", passingOnly: true)).Value.Any(entry => entry.Service.ID == "lb-lb1"), TimeSpan.FromSeconds(20), () => "lb-lb1 not registered");
            var b = await rig.AddBackendAsync();
            await rig.EventuallyRoutesAsync([a.Name, b.Name]);
            await stop.CancelAsync();
            Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
