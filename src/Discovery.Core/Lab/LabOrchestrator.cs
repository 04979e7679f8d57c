using Discovery.Consul;
using Discovery.Consul.Resilience;
using Discovery.Core.Status;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>
/// `lab up` / `lab down`: preflight, generated files, 3 Consul servers, ACLs, a client agent per host,
/// then (unless Consul only) node agents, scalers, the renderer and nginx, and a wait until healthy.
/// Any failure or cancellation on the way up stops everything already started.
/// </summary>
internal sealed class LabOrchestrator(LabOptions options, ILoggerFactory loggers, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);
    private readonly ILogger _logger = loggers.CreateLogger<LabOrchestrator>();

    public LabTopology Topology { get; } = LabTopology.Create(options.AddressPrefix, options.Nodes, options.Scalers, options.WithPostgres);

    public async Task<RunningLab> UpAsync(CancellationToken cancellationToken)
    {
        var files = new LabConfigFiles(options, Topology);
        LabPreflight.Check(options, Topology, files);
        RemoveStateDirectory(files.StateDirectory, _logger);

        var tokens = LabTokens.Generate(Topology);
        files.WriteAll(tokens);
        var processes = new LabProcesses(files.StateFile, new LabState(time.GetUtcNow(), options.AddressPrefix, Environment.ProcessId, false, []), time, _logger);
        var lab = new RunningLab(Topology, files, processes, _logger);
        try
        {
            await StartAsync(files, tokens, processes, cancellationToken).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            LabLog.UpFailed(_logger, files.LogDirectory);
            await lab.StopAsync(keepLogs: true).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops a detached lab recorded in the state folder; returns how many processes were stopped (0: none running).</summary>
    public static async Task<int> DownAsync(string stateDirectory, ILoggerFactory loggers, TimeProvider time, CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger<LabOrchestrator>();
        var state = LabState.TryLoad(Path.Combine(stateDirectory, "state.json"));
        var stopped = state is null ? 0 : await LabProcesses.StopRecordedAsync(state, time, logger, cancellationToken).ConfigureAwait(false);
        stopped += await LabInstanceSweeper.StopLeftoversAsync(stateDirectory, time, logger, cancellationToken).ConfigureAwait(false);
        RemoveStateDirectory(stateDirectory, logger);
        return stopped;
    }

    internal static void RemoveStateDirectory(string stateDirectory, ILogger logger)
    {
        if (!Directory.Exists(stateDirectory))
        {
            return;
        }

        try
        {
            Directory.Delete(stateDirectory, recursive: true);
        }
        catch (IOException exception)
        {
            LabLog.RemoveFailed(logger, stateDirectory, exception.Message);
        }
    }

    private async Task StartAsync(LabConfigFiles files, LabTokens tokens, LabProcesses processes, CancellationToken cancellationToken)
    {
        foreach (var server in Topology.Servers)
        {
            processes.Start(server.Name, 0, options.ConsulBinary, files.ConsulArgs(server), files.LogFile(server.Name));
        }

        using var management = new ConsulClient(new ConsulClientOptions { Address = Topology.Servers[0].HttpAddress, Token = tokens.Management, ReadRetry = RetryOptions.None, RequestTimeout = TimeSpan.FromSeconds(2) });
        await WaitUntilAsync("a Consul leader is elected", processes, TimeSpan.FromSeconds(60), async ct =>
            (await management.Status.LeaderAsync(ct).ConfigureAwait(false)).Length > 0, cancellationToken).ConfigureAwait(false);

        // Right after the election the ACL system may still be initialising; retry until it accepts.
        var acl = new LabAcl(Topology.Servers[0].HttpAddress, files, options, Topology, _logger);
        await WaitUntilAsync("ACL policies and tokens are created", processes, TimeSpan.FromSeconds(30), async ct =>
        {
            try
            {
                await acl.CreateAllAsync(tokens, ct).ConfigureAwait(false);
                return true;
            }
            catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException)
            {
                LabLog.AclNotYet(_logger, exception.Message);
                return false;
            }
        }, cancellationToken).ConfigureAwait(false);

        foreach (var host in Topology.ClientAgents)
        {
            processes.Start(host.Name, 1, options.ConsulBinary, files.ConsulArgs(host), files.LogFile(host.Name));
        }

        var expectedNodes = Topology.All.Count();
        await WaitUntilAsync($"all {expectedNodes} Consul agents are in the catalog", processes, TimeSpan.FromSeconds(60), async ct =>
            (await management.Catalog.NodesAsync(null, ct).ConfigureAwait(false)).Value.Count >= expectedNodes, cancellationToken).ConfigureAwait(false);

        if (options.ConsulOnly)
        {
            return;
        }

        foreach (var node in Topology.AppNodes)
        {
            processes.Start("agent-node-" + node.Name, 4, options.AgentCommand, [.. options.AgentArgsPrefix, "node", "--config", files.NodeConfigFile(node)], files.LogFile("agent-node-" + node.Name));
        }

        foreach (var node in Topology.AppNodes.Where(node => node.RunsScaler))
        {
            processes.Start("agent-scaler-" + node.Name, 3, options.AgentCommand, [.. options.AgentArgsPrefix, "scaler", "--config", files.ScalerConfigFile(node)], files.LogFile("agent-scaler-" + node.Name));
        }

        processes.Start("agent-render", 2, options.AgentCommand, [.. options.AgentArgsPrefix, "render", "--config", files.RendererConfigFile], files.LogFile("agent-render"));
        // nginx starts with both the structure naming the app and a peer set, so its first
        // structural change (the app appearing) is not a reload under the lab's first clients.
        await WaitUntilAsync($"the renderer writes an upstreams.conf with {options.App} and a peer set", processes, TimeSpan.FromSeconds(60), _ =>
            Task.FromResult(File.Exists(files.SavedPeers) && File.Exists(files.RenderedUpstreams)
                            && File.ReadAllText(files.RenderedUpstreams).Contains($"upstream {options.App} {{", StringComparison.Ordinal)), cancellationToken).ConfigureAwait(false);
        processes.Start("nginx", 2, options.NginxBinary, files.NginxArgs(), files.LogFile("nginx"));

        var reader = new FleetStatusReader(management, options.KvPrefix, time);
        var healthy = "the fleet is healthy (node agents passing, a scaler leads, instances routed" + (options.WithPostgres ? ", Postgres primary and replica passing, todo app routed)" : ")");
        await WaitUntilAsync(healthy, processes, options.HealthyTimeout, async ct =>
        {
            var agents = (await management.Health.ServiceAsync("discovery-agent", null, true, null, ct).ConfigureAwait(false)).Value;
            var app = (await reader.ReadAsync(options.App, ct).ConfigureAwait(false)).Apps.Single();
            return agents.Count >= options.Nodes
                && (options.Scalers == 0 || app.Leader is not null)
                && app.Routed >= Math.Max(1, app.Desired ?? 1)
                && (!options.WithPostgres || await LabPostgres.IsHealthyAsync(management, reader, options.Nodes, ct).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitUntilAsync(string what, LabProcesses processes, TimeSpan timeout, Func<CancellationToken, Task<bool>> condition, CancellationToken cancellationToken)
    {
        LabLog.Waiting(_logger, what);
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            try
            {
                if (await condition(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (ConsulException exception)
            {
                LabLog.NotYet(_logger, exception.Message);
            }

            if (processes.Records.FirstOrDefault(record => processes.HasExited(record.Name)) is { } crashed)
            {
                throw new LabStartupException($"{crashed.Name} exited while waiting until {what}; see {crashed.LogFile}");
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new LabStartupException($"not within {timeout.TotalSeconds:F0}s: {what} (logs in {Path.GetDirectoryName(processes.Records[0].LogFile)})");
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
