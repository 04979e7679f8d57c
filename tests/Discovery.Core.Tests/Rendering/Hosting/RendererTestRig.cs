using System.Net;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.Queries;
using Discovery.Consul.Watching;
using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Peers;
using Discovery.Core.Rendering.Templating;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Http;
using Discovery.Testing.Network;
using Discovery.Testing.Nginx;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>Real Consul + real nginx + the renderer loop + real Kestrel backends for app "web", all on private loopback addresses.</summary>
internal sealed class RendererTestRig : IAsyncDisposable
{
    public const string App = "web";
    public const string Host = "web.test";

    /// <summary>Short, so tests of nginx restarts see the renderer notice within a second.</summary>
    public static readonly TimeSpan VerifyInterval = TimeSpan.FromMilliseconds(500);

    private static readonly HttpClient PeersHttp = new(new SocketsHttpHandler { UseProxy = false });

    private CancellationTokenSource _stop = new();
    private readonly List<TestBackend> _backends = [];
    private Task? _run;

    private RendererTestRig(ITestOutputHelper output, ConsulTestServer consul, NginxTestServer nginx, RendererConfig config)
    {
        Output = output;
        Consul = consul;
        Nginx = nginx;
        Config = config;
        Client = consul.CreateClient();
        Loggers = new TestOutputLoggerFactory(output);
    }

    public ITestOutputHelper Output { get; }

    public ConsulTestServer Consul { get; }

    public NginxTestServer Nginx { get; }

    public RendererConfig Config { get; }

    public ConsulClient Client { get; }

    public ILoggerFactory Loggers { get; }

    public IPAddress BackendAddress { get; } = LoopbackAddress.Allocate();

    public ConsulTemplateDataSource Data { get; private set; } = null!;

    public RendererService Service { get; private set; } = null!;

    /// <summary>The peer loop (null when the rig was started without a peer target).</summary>
    public PeerSetService? Peers { get; private set; }

    public ConsulTemplateDataSource? PeersData { get; private set; }

    /// <param name="peersTemplate">The peer-set template; null = nginx-templates/peers.ctmpl.</param>
    public static async Task<RendererTestRig> StartAsync(ITestOutputHelper output, QuiescenceWait? wait = null, string? template = null, string? peersTemplate = null)
    {
        var consul = await ConsulTestServer.StartAsync(output);
        var nginx = await NginxTestServer.StartAsync(output);
        var peers = new PeerTargetConfig(
            peersTemplate ?? Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "peers.ctmpl"),
            nginx.PeersFile,
            nginx.PeersEndpoint,
            nginx.PushSecretFile,
            new QuiescenceWait(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
            TimeSpan.FromSeconds(5),
            VerifyInterval);
        var config = new RendererConfig(
            "lb1",
            new ConsulConnectionConfig(consul.HttpAddress, null, null, null),
            "discovery",
            template ?? Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "upstreams.ctmpl"),
            nginx.UpstreamsFile,
            wait ?? new QuiescenceWait(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300)),
            new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile),
            new LoadBalancerRegistrationConfig(nginx.Address.ToString(), nginx.Port, nginx.StubStatusUrl),
            peers);
        return new RendererTestRig(output, consul, nginx, config);
    }

    /// <summary>Starts both render loops in the background (fast watch retries so Consul outages are short in tests).</summary>
    public void StartRenderer()
    {
        var template = CompiledTemplate.Parse(File.ReadAllText(Config.Template), Config.Template);
        var watch = new WatchOptions { RetryMaxDelay = TimeSpan.FromSeconds(1) };
        Data = new ConsulTemplateDataSource(Client, QueryOptions.Default, watch, Loggers.CreateLogger<ConsulTemplateDataSource>(), TimeProvider.System);
        Service = RendererService.Create(Config, template, Client, Data, Loggers, TimeProvider.System);
        var peersTemplate = CompiledTemplate.Parse(File.ReadAllText(Config.Peers!.Template), Config.Peers.Template);
        PeersData = new ConsulTemplateDataSource(Client, QueryOptions.Default, watch, Loggers.CreateLogger<ConsulTemplateDataSource>(), TimeProvider.System);
        Peers = PeerSetServiceFactory.Create(Config, peersTemplate, NginxTestServer.PushSecret, Client, PeersData, PeersHttp, Loggers, TimeProvider.System);
        _run = Task.WhenAll(Task.Run(() => Service.RunAsync(_stop.Token)), Task.Run(() => Peers.RunAsync(_stop.Token)));
    }

    /// <summary>Stops both render loops (nginx keeps running); <see cref="StartRenderer"/> starts fresh ones.</summary>
    public async Task StopRendererAsync()
    {
        await _stop.CancelAsync();
        await WaitForLoopsAsync();
        await DisposeDataAsync();
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    /// <summary>Starts a backend and registers it as an instance of <paramref name="service"/> with a passing TTL check.</summary>
    public async Task<TestBackend> AddBackendAsync(string node, string service = App)
    {
        var port = LoopbackAddress.FreePort(BackendAddress);
        var backend = await TestBackend.StartAsync($"{service}-{node}-{port}", BackendAddress, port);
        _backends.Add(backend);
        await RegisterAsync(backend.Name, BackendAddress.ToString(), port, service);
        return backend;
    }

    public Task RegisterAsync(string id, string address, int port, string service = App, string[]? tags = null) =>
        Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = id,
            Name = service,
            Address = address,
            Port = port,
            Tags = tags ?? ["discovery"],
            Meta = new Dictionary<string, string> { ["managed-by"] = "discovery" },
            Checks = [new CheckDefinition { CheckId = CheckIdOf(id), Name = "alive", Ttl = TimeSpan.FromMinutes(10), Status = "passing" }],
        });

    public static string CheckIdOf(string serviceId) => $"alive-{serviceId}";

    /// <summary>Which backends answer <paramref name="requests"/> requests through nginx (fresh connection each).</summary>
    public async Task<HashSet<string>> SampleAsync(int requests = 12)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < requests; i++)
        {
            var (status, body) = await Nginx.GetAsync("/", Host);
            seen.Add(status == HttpStatusCode.OK ? body : $"{(int)status}");
        }

        return seen;
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> because) =>
        Eventually.UntilAsync(condition, timeout, because);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await WaitForLoopsAsync();
        await DisposeDataAsync();

        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        Client.Dispose();
        await Nginx.DisposeAsync();
        await Consul.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WaitForLoopsAsync()
    {
        if (_run is not null)
        {
            try
            {
                await _run;
            }
            catch (OperationCanceledException)
            {
            }

            _run = null;
        }
    }

    private async Task DisposeDataAsync()
    {
        if (Data is not null)
        {
            await Data.DisposeAsync();
        }

        if (PeersData is not null)
        {
            await PeersData.DisposeAsync();
        }
    }
}
