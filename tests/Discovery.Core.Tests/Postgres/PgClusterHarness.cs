using System.Net;
using Discovery.Consul;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Failover;
using Discovery.Core.Postgres.Member;
using Discovery.Core.Processes;
using Discovery.Core.Tests.NodeAgent.Hosting;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Network;
using Microsoft.Extensions.Logging;
using Npgsql;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Postgres;

/// <summary>
/// A real Postgres cluster under real node agents: one dev Consul, and per member a node agent
/// runtime with a <c>postgres:</c> section on its own loopback address, port and data directory
/// (postgres runs as the "postgres" user, as in the labs). Dispose stops the agents (fast shutdown)
/// and SIGKILLs any postmaster group still named by a data directory's postmaster.pid.
/// </summary>
internal sealed class PgClusterHarness : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    public const string Password = "test-secret";

    private readonly ITestOutputHelper _output;
    private readonly ILoggerFactory _loggers;
    private readonly Dictionary<string, (NodeAgentConfig Config, NodeAgentRuntime? Runtime)> _nodes = new(StringComparer.Ordinal);

    private PgClusterHarness(ITestOutputHelper output, ConsulTestServer server)
    {
        _output = output;
        Server = server;
        Consul = server.CreateClient();
        _loggers = LoggerFactory.Create(builder => builder.AddProvider(new TestOutputLoggerProvider(output)).SetMinimumLevel(LogLevel.Information));
        File.WriteAllText(Scope.PathOf("password"), Password + "\n");
    }

    public ConsulTestServer Server { get; }

    public ConsulClient Consul { get; }

    public ProcessTestScope Scope { get; } = new();

    public ClusterKeys Keys { get; } = new("discovery", "pg");

    public static bool PostgresInstalled => File.Exists(Path.Combine(PostgresConfig.DefaultBinDir, "postgres"));

    public static async Task<PgClusterHarness> CreateAsync(ITestOutputHelper output) => new(output, await ConsulTestServer.StartAsync(output));

    /// <summary>A member's node config: <paramref name="role"/> for the cluster's first start.</summary>
    public NodeAgentConfig Node(string name, PostgresRole role, bool synchronous = false, TimeSpan? grace = null, bool todoDatabase = false)
    {
        var address = LoopbackAddress.Allocate();
        var postgres = new PostgresConfig("pg", role, role == PostgresRole.Replica ? "n1" : null, Scope.PathOf(name + "-pgdata"), LoopbackAddress.FreePort(address),
            PostgresConfig.DefaultBinDir, PostgresConfig.DefaultRunAs, Scope.PathOf("password"), Scope.PathOf("password"), todoDatabase ? new PostgresDatabaseConfig("todo", "todo", Scope.PathOf("password")) : null, synchronous, ["127.0.0.0/8"],
            TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5), grace ?? TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));
        var config = new NodeAgentConfig(name, new ConsulConnectionConfig(Server.HttpAddress, null, null, null), Scope.PathOf(name + "-agent"), address.ToString(), [], postgres);
        _nodes[name] = (config, null);
        return config;
    }

    public async Task<NodeAgentRuntime> StartAsync(string name)
    {
        var runtime = await NodeAgentRuntime.StartAsync(_nodes[name].Config, NodeAgentTestHarness.FastOptions, _loggers, TimeProvider.System, null, CancellationToken.None);
        _nodes[name] = (_nodes[name].Config, runtime);
        return runtime;
    }

    public NodeAgentRuntime Runtime(string name) => _nodes[name].Runtime ?? throw new InvalidOperationException($"{name} is not running");

    /// <summary>Plays kill -9 of a node agent: its loops end where they are; postgres keeps running.</summary>
    public async Task AbandonAsync(string name)
    {
        await _nodes[name].Runtime!.AbandonAsync(CancellationToken.None);
        _nodes[name] = (_nodes[name].Config, null);
    }

    public MemberEndpoint Endpoint(string name) => new(name, _nodes[name].Config.AdvertiseAddress, _nodes[name].Config.Postgres!.Port);

    /// <summary>The pid in a member's postmaster.pid (null when postgres is not running there).</summary>
    public int? PostmasterPid(string name)
    {
        var file = Path.Combine(_nodes[name].Config.Postgres!.DataDir, "postmaster.pid");
        return File.Exists(file) && int.TryParse(File.ReadLines(file).First(), out var pid) && ProcessIdentity.TryRead(pid) is not null ? pid : null;
    }

    public void KillPostmaster(string name)
    {
        var pid = PostmasterPid(name) ?? throw new InvalidOperationException($"{name} runs no postmaster");
        ProcessGroup.SignalProcess(pid, UnixSignal.Kill);
        _output.WriteLine($"kill -9 {pid} (postmaster of {name})");
    }

    public async Task<ClusterState?> StateAsync()
    {
        var pair = (await Consul.KV.GetAsync(Keys.State)).Value;
        return pair is null ? null : ClusterStateJson.TryRead(pair.ValueAsString(), out _);
    }

    public async Task<IReadOnlyList<MemberReport>> MembersAsync() =>
        [.. (await Consul.Health.ServiceAsync("pg")).Value.Select(entry => MemberReport.TryRead(entry, out _)).OfType<MemberReport>()];

    public Task<IReadOnlyList<ClusterDecision>> HistoryAsync() => HistoryWriter.ReadAllAsync(Consul, Keys, CancellationToken.None);

    /// <summary>Waits until <paramref name="node"/> is the passing primary of the state and every other named node a passing replica.</summary>
    public Task UntilHealthyAsync(string primary, params string[] replicas) =>
        Eventually.UntilAsync(async () =>
        {
            var state = await StateAsync();
            var members = await MembersAsync();
            return state?.Primary == primary
                   && members.Any(member => member.Node == primary && member is { State: MemberState.Primary, Passing: true } && member.Generation == state.Generation)
                   && replicas.All(replica => members.Any(member => member.Node == replica && member is { State: MemberState.Replica, Passing: true }));
        }, Patience, () => $"{primary} primary and {string.Join(", ", replicas)} replicas, all passing; members: {string.Join(" | ", MembersAsync().Result.Select(m => $"{m.Node} {m.State} g{m.Generation} {(m.Passing ? "passing" : "critical")}: {m.CheckOutput}"))}",
            tolerate: error => error is ConsulUnavailableException or ConsulApiException);

    public NpgsqlConnection Connect(string name, int timeoutSeconds = 2) => PostgresAdmin.Connect(Endpoint(name), Password, timeoutSeconds: timeoutSeconds);

    public async Task ExecuteAsync(string name, string sql)
    {
        await using var connection = Connect(name);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> InRecoveryAsync(string name)
    {
        await using var connection = Connect(name, 1);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select pg_is_in_recovery()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (name, (config, runtime)) in _nodes)
        {
            if (runtime is not null)
            {
                try
                {
                    await runtime.StopAsync(stopInstances: true, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
                    await runtime.DisposeAsync();
                }
                catch (Exception error)
                {
                    _output.WriteLine($"stopping {name} failed: {error.Message}");
                }
            }

            if (PostmasterPid(name) is { } pid && ProcessIdentity.TryReadProcessGroup(pid) == pid)
            {
                ProcessGroup.Signal(pid, UnixSignal.Kill);
                _output.WriteLine($"killed leftover postmaster group {pid} of {name}");
            }

            var log = Path.Combine(config.LogDir, $"pg-{name}.log");
            if (File.Exists(log))
            {
                var text = File.ReadAllText(log);
                _output.WriteLine($"--- postgres log of {name} (last 4000 chars) ---\n{(text.Length > 4000 ? text[^4000..] : text)}");
            }
        }

        Consul.Dispose();
        await Server.DisposeAsync();
        Scope.Dispose();
        _loggers.Dispose();
    }
}
