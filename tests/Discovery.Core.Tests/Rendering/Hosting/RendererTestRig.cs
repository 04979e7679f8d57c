using System.Net;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Consul.Queries;
using Discovery.Consul.Resilience;
using Discovery.Consul.Watching;
using Discovery.Core.Configuration;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Health;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Targets;
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

/// <summary>
/// Real Consul + real nginx + the renderer loop + real Kestrel backends for app "web", all on
/// private loopback addresses. The renderer runs what the labs run: upstreams.ctmpl (the structure,
/// reloads nginx) and peers.ctmpl (which instances, pushed to nginx without a reload, routed).
/// </summary>
internal sealed class RendererTestRig : IAsyncDisposable
{
    public const string App = "web";
    public const string Host = "web.test";

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
        BackendAddress = consul.Address;
    }

    public ITestOutputHelper Output { get; }

    public ConsulTestServer Consul { get; }

    public NginxTestServer Nginx { get; }

    public RendererConfig Config { get; }

    public ConsulClient Client { get; }

    /// <summary>Where the renderer logs; the test output unless a test captures it.</summary>
    public ILoggerFactory Loggers { get; set; }

    /// <summary>
    /// The Consul node's own address: peers.ctmpl routes only believable instances (issue 12), whose
    /// address is their node's and whose node runs a passing discovery-agent (<see cref="StartAsync"/> registers one).
    /// </summary>
    public IPAddress BackendAddress { get; }

    public ConsulTemplateDataSource Data { get; private set; } = null!;

    public RendererService Service { get; private set; } = null!;

    /// <summary>The peers.ctmpl target of the running renderer (instance changes pushed to nginx).</summary>
    public PeerSetTarget PeerTarget { get; private set; } = null!;

    /// <summary>How often the peer target compares nginx's view with the rendered set: short, so tests of nginx restarts see a correction within a second.</summary>
    public static readonly TimeSpan PeersVerifyInterval = TimeSpan.FromMilliseconds(500);

    /// <param name="peersWait">The peer template's own quiescence; null = the renderer's <paramref name="wait"/>.</param>
    public static async Task<RendererTestRig> StartAsync(
        ITestOutputHelper output, QuiescenceWait? wait = null, string? template = null, IReadOnlyList<TemplateConfig>? extraTemplates = null, TimeSpan? outageSettle = null,
        QuiescenceWait? peersWait = null)
    {
        var consul = await ConsulTestServer.StartAsync(output);
        var nginx = await NginxTestServer.StartAsync(output);
        var upstreams = TemplateConfig.ForNginx(
            template ?? Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "upstreams.ctmpl"),
            nginx.UpstreamsFile,
            new NginxControlConfig(ToolPaths.Nginx, nginx.Prefix, nginx.ConfigFile, TimeSpan.FromSeconds(10), nginx.PidFile)) with { Routed = false };
        var peers = TemplateConfig.ForPeers(
            Path.Combine(ToolPaths.RepoRoot, "nginx-templates", "peers.ctmpl"),
            nginx.PeersFile,
            new PeerPushConfig(nginx.PeersEndpoint, nginx.PushSecretFile, nginx.PidFile, TimeSpan.FromSeconds(5), PeersVerifyInterval),
            peersWait);
        var config = new RendererConfig(
            "lb1",
            new ConsulConnectionConfig(consul.HttpAddress, null, null, null),
            new ConsulRetryConfig(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1)),
            "discovery",
            wait ?? new QuiescenceWait(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(300)),
            [upstreams, peers, .. extraTemplates ?? []],
            new LoadBalancerRegistrationConfig(nginx.Address.ToString(), nginx.Port, nginx.StubStatusUrl),
            outageSettle ?? Discovery.Core.Rendering.Catalog.OutageGuard.DefaultSettle,
            LogLevel: null);
        var rig = new RendererTestRig(output, consul, nginx, config);
        await rig.RegisterNodeAgentAsync();
        return rig;
    }

    /// <summary>This node's passing discovery-agent, which peers.ctmpl requires of a routed instance's node.</summary>
    private Task RegisterNodeAgentAsync() => Client.Agent.RegisterServiceAsync(new ServiceRegistration
    {
        ID = $"discovery-agent-{Consul.NodeName}",
        Name = "discovery-agent",
        Tags = ["discovery-agent"],
        Checks = [new CheckDefinition { CheckId = "discovery-agent-alive", Name = "node agent alive", Ttl = TimeSpan.FromMinutes(10), Status = "passing" }],
    });

    /// <summary>The ID a node agent gives the instance of <paramref name="service"/> on <paramref name="port"/> of this node.</summary>
    public string InstanceId(int port, string service = App) => $"{service}-{Consul.NodeName}-{port}";

    public RendererHealth Health { get; private set; } = null!;

    /// <summary>The renderer's own client: no read retries, as RendererHost makes it.</summary>
    public ConsulClient? RendererClient { get; private set; }

    /// <summary>Starts the render loop in the background (fast watch retries so Consul outages are short in tests).</summary>
    public void StartRenderer()
    {
        var jobs = RendererHost.CreateJobs(Config, RenderMode.Daemon);
        var watch = new WatchOptions { Retry = new RetryOptions { BaseDelay = Config.Retry.Backoff, MaxDelay = Config.Retry.MaxBackoff } };
        RendererClient = new ConsulClient(new ConsulClientOptions { Address = Consul.HttpAddress, ReadRetry = RetryOptions.None });
        Data = new ConsulTemplateDataSource(RendererClient, QueryOptions.Default, watch, new OutageGuard(Config.OutageSettle), Loggers.CreateLogger<ConsulTemplateDataSource>(), TimeProvider.System);
        Health = new RendererHealth(Config.Templates.Select(template => (template.Source, template.Destination)));
        Service = new RendererService(jobs, Data, Config.Wait, new RoutedInstancesPublisher(RendererClient, Config.Prefix, Config.Name!, TimeProvider.System), Health, null,
            RenderEnvironment.System, Loggers.CreateLogger<RendererService>(), TimeProvider.System);
        PeerTarget = jobs.Select(job => job.Target).OfType<PeerSetTarget>().Single();
        _run = Task.Run(() => Service.RunAsync(_stop.Token));
    }

    /// <summary>Stops the renderer (nginx keeps running); <see cref="StartRenderer"/> starts a fresh one, as a restarted process would.</summary>
    public async Task StopRendererAsync()
    {
        await _stop.CancelAsync();
        await WaitForRendererAsync();
        await Data.DisposeAsync();
        RendererClient?.Dispose();
        _stop.Dispose();
        _stop = new CancellationTokenSource();
    }

    /// <summary>Registers every backend again (what node agents do after their Consul agent lost its state).</summary>
    public async Task ReRegisterAsync()
    {
        await RegisterNodeAgentAsync();
        foreach (var backend in _backends)
        {
            await RegisterAsync(backend.Name, BackendAddress.ToString(), backend.Port);
        }
    }

    /// <summary>Starts a backend and registers it as an instance of <paramref name="service"/> with a passing TTL check.</summary>
    public async Task<TestBackend> AddBackendAsync(string service = App)
    {
        var port = LoopbackAddress.FreePort(BackendAddress);
        var backend = await TestBackend.StartAsync(InstanceId(port, service), BackendAddress, port);
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
        await WaitForRendererAsync();

        if (Data is not null)
        {
            await Data.DisposeAsync();
        }

        foreach (var backend in _backends)
        {
            await backend.DisposeAsync();
        }

        Client.Dispose();
        RendererClient?.Dispose();
        await Nginx.DisposeAsync();
        await Consul.DisposeAsync();
        _stop.Dispose();
    }

    private async Task WaitForRendererAsync()
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
}
