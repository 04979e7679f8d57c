using System.Net;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.NodeAgent.Hosting;

/// <summary>
/// A real Consul agent, a node agent runtime against it on its own loopback address, and the real
/// sample app as the instances. Dispose stops the runtime and kills every instance group the state
/// file ever listed (by pid and start time), also when a test failed.
/// </summary>
internal sealed class NodeAgentTestHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static readonly NodeAgentOptions FastOptions = new(
        TtlPassInterval: TimeSpan.FromSeconds(1),
        AntiEntropyInterval: TimeSpan.FromSeconds(2),
        ReconcileInterval: TimeSpan.FromSeconds(1),
        UnroutedGrace: TimeSpan.FromMilliseconds(500),
        DeregisterCriticalAfter: TimeSpan.FromMinutes(1));

    private readonly ITestOutputHelper _output;
    private readonly ILoggerFactory _loggers;

    private NodeAgentTestHarness(ITestOutputHelper output, ConsulTestServer server)
    {
        _output = output;
        Server = server;
        Consul = server.CreateClient();
        Address = LoopbackAddress.Allocate();
        _loggers = LoggerFactory.Create(builder => builder.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Information));
    }

    public ConsulTestServer Server { get; }

    public ConsulClient Consul { get; }

    public IPAddress Address { get; }

    public ProcessTestScope Scope { get; } = new();

    public NodeAgentRuntime? Runtime { get; private set; }

    public NodeAgentConfig Config { get; private set; } = null!;

    /// <param name="consulNodeName">The Consul agent's node name; a test whose instances nginx must route passes its node agent's name (routing requires them to match).</param>
    public static async Task<NodeAgentTestHarness> CreateAsync(ITestOutputHelper output, string? consulNodeName = null) =>
        new(output, await ConsulTestServer.StartAsync(output, new ConsulTestServerOptions { NodeName = consulNodeName }));

    /// <summary>The sample app, built next to the tests (the test project references it without using its assembly).</summary>
    public static string WebAppDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            var path = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.WebApp", "bin", configuration, "net10.0", "Discovery.WebApp.dll");
            return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing; build src/Discovery.WebApp first");
        }
    }

    public AppConfig WebApp(int defaultInstances = 1, string name = "web") => new(
        name,
        "1",
        "dotnet",
        [WebAppDll, "--port", "{port}", "--address", "{address}", "--app", "{app}", "--node", "{node}", "--instance", "{instance}", "--version", "1", "--drain-timeout", "5"],
        new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_TieredPGO"] = "0" },
        null,
        new PortRange(19000, 19049),
        new HealthCheckConfig("/health", TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(400), 1, 1),
        TimeSpan.FromSeconds(10),
        TimeSpan.FromSeconds(5),
        TestConfigs.FastRestart,
        defaultInstances,
        AppConfig.DefaultLogMaxBytes,
        AppConfig.DefaultPassEnv,
        null);

    public NodeAgentConfig NodeConfig(params AppConfig[] apps) => new(
        "n1",
        new ConsulConnectionConfig(Server.HttpAddress, null, null, null),
        Scope.Directory,
        Address.ToString(),
        apps);

    public async Task<NodeAgentRuntime> StartAgentAsync(NodeAgentConfig config)
    {
        Config = config;
        Runtime = await NodeAgentRuntime.StartAsync(config, FastOptions, _loggers, TimeProvider.System, null, CancellationToken.None);
        return Runtime;
    }

    /// <summary>Plays kill -9 of the agent: loops end, instances keep running, nothing is written to Consul.</summary>
    public async Task AbandonAgentAsync()
    {
        TrackStateFile();
        await Runtime!.AbandonAsync(CancellationToken.None);
        Runtime = null;
    }

    /// <summary>Our services on the local Consul agent (instances only).</summary>
    public async Task<IReadOnlyList<AgentService>> InstancesAsync(string app = "web") =>
        [.. (await Consul.Agent.ServicesAsync()).Values.Where(service => service.Service == app)];

    /// <summary>Instances whose every check (HTTP, TTL, maintenance) passes.</summary>
    public async Task<IReadOnlyList<string>> PassingAsync(string app = "web")
    {
        var entries = await Consul.Health.ServiceAsync(app, passingOnly: true);
        return [.. entries.Value.Select(entry => entry.Service.ID).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<InstanceRecord> StateRecords()
    {
        var records = InstanceStateFile.Load(Config.StateFilePath);
        foreach (var record in records)
        {
            Scope.Track(new ProcessIdentity(record.Pid, record.StartTime));
        }

        return records;
    }

    public static Task EventuallyAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null) =>
        Eventually.UntilAsync(condition, timeout ?? Patience, () => because,
            tolerate: error => error is ConsulException); // Consul restarting in the test: ask again

    private void TrackStateFile()
    {
        if (Config is not null && File.Exists(Config.StateFilePath))
        {
            StateRecords();
        }
    }

    public async ValueTask DisposeAsync()
    {
        TrackStateFile();
        if (Runtime is not null)
        {
            try
            {
                await Runtime.AbandonAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (Exception error)
            {
                _output.WriteLine($"abandoning the agent failed: {error}");
            }
        }

        TrackStateFile();
        Consul.Dispose();
        await Server.DisposeAsync();
        Scope.Dispose();
        _loggers.Dispose();
    }
}
