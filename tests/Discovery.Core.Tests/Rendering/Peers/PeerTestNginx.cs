using System.Net;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Commands;
using Discovery.Core.Rendering.Peers;
using Discovery.Core.Rendering.Templating;
using Discovery.Core.Tests.Rendering.Templating;
using Discovery.Testing.Http;
using Discovery.Testing.Network;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>
/// A real nginx whose structure is upstreams.ctmpl rendered for the given apps, real Kestrel
/// backends on a private loopback address, and a peer endpoint client with the right secret.
/// </summary>
internal sealed class PeerTestNginx : IAsyncDisposable
{
    public const string Host = "web.test";

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(30) });

    private readonly List<TestBackend> _backends = [];

    private PeerTestNginx(NginxTestServer nginx)
    {
        Nginx = nginx;
        Client = new PeerEndpointClient(Http, nginx.PeersEndpoint, NginxTestServer.PushSecret, TimeSpan.FromSeconds(5), TimeProvider.System);
        Controller = new NginxController(new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile));
    }

    public NginxTestServer Nginx { get; }

    public PeerEndpointClient Client { get; }

    public NginxController Controller { get; }

    public IPAddress BackendAddress { get; } = LoopbackAddress.Allocate();

    public static HttpClient SharedHttp => Http;

    public static async Task<PeerTestNginx> StartAsync(ITestOutputHelper output, bool start = true, params string[] apps) =>
        new(await NginxTestServer.StartAsync(output, Structure(apps.Length == 0 ? ["web"] : apps), start));

    /// <summary>upstreams.ctmpl rendered for a catalog holding one instance of each app.</summary>
    public static string Structure(IEnumerable<string> apps)
    {
        var path = Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "upstreams.ctmpl");
        var catalog = new FixtureCatalog(apps.Select(app => new TemplateServiceInstance(
            "n1", "127.0.0.1", $"{app}-n1-1", app, "127.0.0.1", 1, ["discovery"], new Dictionary<string, string>(), "passing")));
        return CompiledTemplate.Parse(File.ReadAllText(path), path).Render(catalog).Output!;
    }

    public async Task<TestBackend> AddBackendAsync(string name)
    {
        var backend = await TestBackend.StartAsync(name, BackendAddress, LoopbackAddress.FreePort(BackendAddress));
        _backends.Add(backend);
        return backend;
    }

    public static string Line(TestBackend backend, int weight = 1, string app = "web") =>
        $"{app} {backend.Address}:{backend.Port} {weight} {backend.Name}\n";

    /// <summary>Who answers each of <paramref name="requests"/> requests through nginx (fresh connection each), in order.</summary>
    public async Task<List<string>> SampleAsync(int requests, string host = Host)
    {
        var answers = new List<string>();
        for (var i = 0; i < requests; i++)
        {
            var (status, body) = await Nginx.GetAsync("/", host);
            answers.Add(status == HttpStatusCode.OK ? body : $"{(int)status} {body.Trim()}");
        }

        return answers;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        await Nginx.DisposeAsync();
    }
}
