using Discovery.Consul;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Draining;
using Discovery.Core.NodeAgent.Flags;
using Discovery.Core.NodeAgent.Reconciliation;
using Discovery.Core.NodeAgent.Registration;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.Postgres.Hosting;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.NodeAgent.Hosting;

/// <summary>
/// One running node agent: recovery of what a previous run left, then the registrar and one
/// reconciler per app. <see cref="NodeAgentHost"/> runs it until cancellation; tests drive it
/// directly, including <see cref="AbandonAsync"/> to play a killed agent.
/// </summary>
internal sealed partial class NodeAgentRuntime : IAsyncDisposable
{
    private readonly ConsulClient _consul;
    private readonly Registrar _registrar;
    private readonly IReadOnlyList<AppReconciler> _reconcilers;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly List<(string Name, Task Loop)> _loops = [];
    private bool _ended;

    private NodeAgentRuntime(ConsulClient consul, Registrar registrar, IReadOnlyList<AppReconciler> reconcilers, PostgresService? postgres, ILogger logger)
    {
        _consul = consul;
        _registrar = registrar;
        _reconcilers = reconcilers;
        Postgres = postgres;
        _logger = logger;
    }

    public Registrar Registrar => _registrar;

    public ConsulClient Consul => _consul;

    /// <summary>The loops that run until shutdown, by name (for /health).</summary>
    public IReadOnlyList<(string Name, Task Loop)> Loops => _loops;

    public IReadOnlyList<AppReconciler> Apps => _reconcilers;

    /// <summary>The node's Postgres member and failover-leader contender; null when the config has no postgres section.</summary>
    public PostgresService? Postgres { get; }

    /// <summary>Adopts or cleans up what the state file lists, then starts registering and converging.</summary>
    /// <param name="consulHandler">For measurements (request counting) only; null in production.</param>
    public static async Task<NodeAgentRuntime> StartAsync(NodeAgentConfig config, NodeAgentOptions options, ILoggerFactory loggers, TimeProvider time,
        HttpMessageHandler? consulHandler, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<NodeAgentRuntime>();
        var consul = await ConsulConnection.CreateClientAsync(config.Consul, time, cancellationToken, handler: consulHandler).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(config.DataDir);
            var launcher = new SetsidProcessLauncher(time);
            // Checked before anything starts: a bad postgres section stops the agent with exit 2.
            var postgres = config.Postgres is null ? null : PostgresService.Create(config, consul, options.KvPrefix, launcher, time, loggers);
            var store = InstanceStateStore.Open(config.StateFilePath, time);
            var recovery = new InstanceRecovery(config, launcher, store, time, loggers.CreateLogger<InstanceRecovery>()) { VerifyHealth = true };
            var adopted = await recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);

            var registrar = new Registrar(consul, config, options, time, loggers.CreateLogger<Registrar>());
            var drainer = new InstanceDrainer(consul, registrar, options, time, loggers.CreateLogger<InstanceDrainer>());
            var reconcilers = config.Apps
                .Select(app => new AppReconciler(app, config, consul, registrar, drainer, store, launcher, options, time, loggers))
                .ToList();
            foreach (var reconciler in reconcilers)
            {
                reconciler.Adopt(adopted);
            }

            var runtime = new NodeAgentRuntime(consul, registrar, reconcilers, postgres, logger);
            runtime._loops.Add(("registrar", Task.Run(() => registrar.RunAsync(runtime._stop.Token), CancellationToken.None)));
            if (postgres is not null)
            {
                runtime._loops.Add(("postgres", Task.Run(() => postgres.RunAsync(runtime._stop.Token), CancellationToken.None)));
            }

            runtime._loops.AddRange(reconcilers.Select(reconciler => ($"app {reconciler.App.Name}", Task.Run(() => reconciler.RunAsync(runtime._stop.Token), CancellationToken.None))));
            runtime._loops.AddRange(config.Apps.Select(app => ($"flags of {app.Name}", new FlagsPublisher(
                consul, options.AppKey(app.Name, "flags/"), app.Name, FlagsPublisher.FlagsFile(config.DataDir, app.Name), time, loggers.CreateLogger<FlagsPublisher>())))
                .Select(entry => (entry.Item1, Task.Run(() => entry.Item2.RunAsync(runtime._stop.Token), CancellationToken.None))));
            runtime.LogStarted(config.Name, config.Apps.Count, adopted.Count);
            return runtime;
        }
        catch
        {
            consul.Dispose();
            throw;
        }
    }

    /// <summary>Clean shutdown: drains and stops every instance, or (<paramref name="stopInstances"/> false) leaves them for adoption.</summary>
    public async Task StopAsync(bool stopInstances, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        LogStopping(stopInstances ? "draining and stopping every instance" : "leaving instances running for the next agent run");
        await EndLoopsAsync().ConfigureAwait(false);
        await Task.WhenAll(_reconcilers.Select(reconciler => reconciler.ShutdownAsync(stopInstances, cancellationToken))).ConfigureAwait(false);
        if (Postgres is not null)
        {
            await Postgres.ShutdownAsync(stopInstances, cancellationToken).ConfigureAwait(false);
        }

        await _registrar.DeregisterAgentAsync(cancellationToken).ConfigureAwait(false);
        LogStopped();
    }

    /// <summary>Stops every loop and lets go of every instance with no Consul write: what kill -9 of the agent leaves behind.</summary>
    public async Task AbandonAsync(CancellationToken cancellationToken)
    {
        _ended = true;
        await EndLoopsAsync().ConfigureAwait(false);
        foreach (var reconciler in _reconcilers)
        {
            await reconciler.AbandonAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(stopInstances: true, CancellationToken.None).ConfigureAwait(false);
        _consul.Dispose();
        _stop.Dispose();
    }

    private async Task EndLoopsAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var (_, loop) in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "node agent {Node} started: {Apps} app(s), {Adopted} adopted instance(s)")]
    private partial void LogStarted(string node, int apps, int adopted);

    [LoggerMessage(Level = LogLevel.Information, Message = "node agent stopping: {What}")]
    private partial void LogStopping(string what);

    [LoggerMessage(Level = LogLevel.Information, Message = "node agent stopped")]
    private partial void LogStopped();
}
