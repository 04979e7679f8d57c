using System.Net;
using System.Net.Sockets;
using CliWrap;
using CliWrap.Buffered;
using Discovery.Core.Rendering.Peers;
using Discovery.Core.Rendering.Templating;
using Discovery.Core.Tests.Rendering.Templating;
using Discovery.Testing.Tools;

namespace Discovery.Core.Tests.Rendering;

/// <summary>
/// The repository's nginx-templates/ rendered by our engine must give a config the real nginx
/// accepts (structure) and a peer set nginx's Lua loads without skipping a line, including for an
/// app with no passing instance, and the same catalog must render the same bytes (so the renderer
/// never reloads or pushes for nothing).
/// </summary>
public sealed class NginxTemplateTests : IDisposable
{
    private static readonly string TemplatesFolder = Path.Combine(ToolPaths.RepoRoot, "nginx-templates");
    private static readonly string GoldenFolder = Path.Combine(AppContext.BaseDirectory, "Rendering", "Templating", "Golden");

    private readonly string _prefix = Directory.CreateTempSubdirectory("discovery-nginx-test-").FullName;

    [Fact]
    public void Render_UpstreamsTemplate_MatchesGoldenOutput()
    {
        var output = RenderUpstreams(FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));

        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, "nginx-upstreams.expected")), output);
    }

    [Fact]
    public void Render_PeersTemplate_MatchesGoldenOutput()
    {
        var output = Render("peers.ctmpl", FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));

        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, "nginx-peers.expected")), output);
    }

    [Theory]
    [InlineData("upstreams.ctmpl")]
    [InlineData("peers.ctmpl")]
    public void Render_SameCatalogTwice_IsByteIdentical(string template)
    {
        var first = Render(template, FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));
        var second = Render(template, FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Render_PeersTemplate_EveryLineValidForNginx()
    {
        var output = Render("peers.ctmpl", FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));

        var set = PeerSetText.Parse(output, out var refusal);

        Assert.Null(refusal);
        Assert.Empty(set!.Problems);
        Assert.NotEmpty(set.Peers);
    }

    [Theory]
    [InlineData("fixture catalog: web 3 passing, api none passing, Admin 1")]
    [InlineData("empty catalog")]
    [InlineData("default app absent from the catalog")]
    public async Task NginxTest_RenderedUpstreamsWithNginxConf_IsAccepted(string scenario)
    {
        var catalog = scenario switch
        {
            "empty catalog" => new FixtureCatalog([]),
            "default app absent from the catalog" => new FixtureCatalog(
                FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")).AllInstances,
                new Dictionary<string, string> { ["discovery/lb/default-app"] = "shop" }),
            _ => FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")),
        };
        WritePrefix(RenderUpstreams(catalog), Render("peers.ctmpl", catalog));

        var (exitCode, output) = await RunNginxTestAsync();

        // nginx -t runs init_by_lua too: the rendered peer set must load without a skipped line.
        Assert.True(exitCode == 0, $"nginx -t failed ({exitCode}):\n{output}");
        Assert.Contains("test is successful", output, StringComparison.Ordinal);
        Assert.DoesNotContain("skipped", output, StringComparison.Ordinal);
        Assert.DoesNotContain("[error]", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NginxTest_BrokenUpstreams_IsRejected()
    {
        // Proves the test above can fail: nginx really validates the rendered file.
        WritePrefix("upstream web {\n}\n", "");

        var (exitCode, output) = await RunNginxTestAsync();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("upstreams.conf", output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_prefix, recursive: true);

    private static string RenderUpstreams(ITemplateDataSource catalog) => Render("upstreams.ctmpl", catalog);

    private static string Render(string template, ITemplateDataSource catalog)
    {
        var path = Path.Combine(TemplatesFolder, template);
        var result = CompiledTemplate.Parse(File.ReadAllText(path), path).Render(catalog);
        Assert.True(result.IsComplete, $"missing: {string.Join(", ", result.Missing)}");
        return result.Output!;
    }

    /// <summary>The prefix layout nginx.conf's header names: conf/, logs/, lua/, peers/.</summary>
    private void WritePrefix(string upstreams, string peers)
    {
        var conf = Directory.CreateDirectory(Path.Combine(_prefix, "conf")).FullName;
        Directory.CreateDirectory(Path.Combine(_prefix, "logs"));
        File.Copy(Path.Combine(TemplatesFolder, "nginx.conf"), Path.Combine(conf, "nginx.conf"));
        File.WriteAllText(Path.Combine(conf, "upstreams.conf"), upstreams);
        File.WriteAllText(Path.Combine(conf, "lb-listen.conf"), $"listen 127.0.0.1:{FreePort()};\n");
        File.WriteAllText(Path.Combine(conf, "lb-status-listen.conf"), $"listen 127.0.0.1:{FreePort()};\n");
        File.WriteAllText(Path.Combine(conf, "lb-peers-listen.conf"), $"listen 127.0.0.1:{FreePort()};\n");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(TemplatesFolder, "lua"), "*.lua", SearchOption.AllDirectories))
        {
            var target = Path.Combine(_prefix, "lua", Path.GetRelativePath(Path.Combine(TemplatesFolder, "lua"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var peersFolder = Directory.CreateDirectory(Path.Combine(_prefix, "peers")).FullName;
        File.WriteAllText(Path.Combine(peersFolder, "peers.txt"), peers);
        File.WriteAllText(Path.Combine(peersFolder, "push.secret"), "nginx-template-test-secret\n");
    }

    private async Task<(int ExitCode, string Output)> RunNginxTestAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await Cli.Wrap(ToolPaths.Nginx)
            .WithArguments(["-t", "-p", _prefix + "/", "-c", Path.Combine(_prefix, "conf", "nginx.conf"), "-e", Path.Combine(_prefix, "logs", "error.log")])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(timeout.Token);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
