using System.Net;
using System.Net.Sockets;
using Discovery.Consul;
using Discovery.Consul.Resilience;
using Discovery.Core.Lab;
using Discovery.Core.Processes;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Core.Tests.Lab;

/// <summary>
/// The Consul part of the lab against the real binary: 3 servers + client agents + ACLs with a token
/// per role, on this test's own loopback /24; then teardown leaves no process, port or folder.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class LabConsulClusterTests : IDisposable
{
    private readonly string _stateDirectory = Path.Combine(Path.GetTempPath(), "discovery-lab-test-" + Guid.NewGuid().ToString("N"));
    private readonly string _addressPrefix = string.Join('.', LoopbackAddress.Allocate().GetAddressBytes().Take(3));

    public void Dispose()
    {
        if (Directory.Exists(_stateDirectory))
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task UpAsync_ConsulOnly_ClusterWithLeastPrivilegeTokensThenStopLeavesNothing()
    {
        var options = new LabOptions
        {
            StateDirectory = _stateDirectory,
            RepoRoot = ToolPaths.RepoRoot,
            ConsulBinary = ToolPaths.Consul,
            AddressPrefix = _addressPrefix,
            Nodes = 2,
            Scalers = 1,
            ConsulOnly = true,
            WithPostgres = true,
        };
        var orchestrator = new LabOrchestrator(options, NullLoggerFactory.Instance, TimeProvider.System);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var lab = await orchestrator.UpAsync(timeout.Token);
        var processes = lab.Processes.ToList();
        try
        {
            Assert.Equal(6, processes.Count);
            var tokenOf = (string name) => File.ReadAllText(lab.Files.TokenFile(name)).Trim();
            using var operatorClient = Client(lab.Topology.Servers[0].HttpAddress, tokenOf("operator"));
            using var anonymous = Client(lab.Topology.Servers[1].HttpAddress, null);
            using var nodeAgent = Client(lab.Topology.AppNodes[0].HttpAddress, tokenOf("node-agent-node-1"));

            Assert.Equal(3, (await operatorClient.Status.PeersAsync()).Count);
            Assert.Equal(6, (await operatorClient.Catalog.NodesAsync()).Value.Count);
            Assert.True(await operatorClient.KV.PutStringAsync("discovery/apps/web/desired", "2"));
            var denied = await Assert.ThrowsAsync<ConsulApiException>(() => operatorClient.KV.PutStringAsync("discovery/lb/x", "1"));
            Assert.True(denied.IsPermissionDenied);
            var anonymousDenied = await Assert.ThrowsAsync<ConsulApiException>(() => anonymous.KV.GetAsync("discovery/apps/web/desired"));
            Assert.True(anonymousDenied.IsPermissionDenied);
            Assert.Equal("2", (await nodeAgent.KV.GetAsync("discovery/apps/web/desired")).Value!.ValueAsString());
            var nodeAgentDenied = await Assert.ThrowsAsync<ConsulApiException>(() => nodeAgent.KV.PutStringAsync("discovery/apps/web/desired", "9"));
            Assert.True(nodeAgentDenied.IsPermissionDenied);

            // --with-postgres: a member's node agent writes the cluster's state (as failover leader);
            // the operator only asks for a switchover; the todo app reads no KV at all.
            Assert.True(await nodeAgent.KV.PutStringAsync("discovery/pg/pg/history/000000000001", "{}"));
            Assert.True(await operatorClient.KV.PutStringAsync("discovery/pg-requests/pg/switchover", """{"to":"node-2"}"""));
            Assert.True((await Assert.ThrowsAsync<ConsulApiException>(() => operatorClient.KV.PutStringAsync("discovery/pg/pg/state", "{}"))).IsPermissionDenied);
            using var todoApp = Client(lab.Topology.AppNodes[1].HttpAddress, tokenOf("todo-app"));
            Assert.True((await Assert.ThrowsAsync<ConsulApiException>(() => todoApp.KV.GetAsync("discovery/apps/web/desired"))).IsPermissionDenied);
            Assert.True(OperatorEnvironment.TryLoad(_stateDirectory, out var operatorEnvironment));
            Assert.Equal(lab.Topology.Servers[0].HttpAddress, operatorEnvironment.Address);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(lab.Files.TokenFile("management")));
        }
        finally
        {
            await lab.StopAsync();
        }

        Assert.All(processes, record => Assert.False(new ProcessIdentity(record.Pid, record.StartTime).IsRunning(), record.Name + " still running"));
        Assert.False(Directory.Exists(_stateDirectory));
        Assert.All(lab.Topology.All, host => Assert.True(PortFree(host.Address, LabHost.HttpPort), $"{host.Address}:8500 still bound"));
    }

    [Fact]
    public async Task UpAsync_NodeAgentExitsDuringStartUp_StopsEverythingAndKeepsOnlyLogs()
    {
        var options = new LabOptions
        {
            StateDirectory = _stateDirectory,
            RepoRoot = ToolPaths.RepoRoot,
            ConsulBinary = ToolPaths.Consul,
            NginxBinary = ToolPaths.Nginx,
            AddressPrefix = _addressPrefix,
            Nodes = 1,
            Scalers = 0,
            // Stands in for an `agent node` that dies at once (the real verbs are wired by the lead).
            AgentCommand = "/bin/sh",
            AgentArgsPrefix = ["-c", "echo node agent failed; exit 3", "agent"],
            WebAppAssembly = typeof(LabOptions).Assembly.Location,
        };
        var orchestrator = new LabOrchestrator(options, NullLoggerFactory.Instance, TimeProvider.System);

        var error = await Assert.ThrowsAsync<LabStartupException>(() => orchestrator.UpAsync(CancellationToken.None));

        // The stand-in fails for every verb, so either agent process may be noticed first (and the
        // other one may be stopped before it wrote anything): the log kept is the one named.
        Assert.Matches("agent-(node-node-1|render) exited", error.Message);
        var crashed = System.Text.RegularExpressions.Regex.Match(error.Message, "(agent-(node-node-1|render)) exited").Groups[1].Value;
        Assert.Equal(["logs"], Directory.EnumerateFileSystemEntries(_stateDirectory).Select(Path.GetFileName));
        Assert.Contains("node agent failed", File.ReadAllText(Path.Combine(_stateDirectory, "logs", crashed + ".log")));
        Assert.All(orchestrator.Topology.All, host => Assert.True(PortFree(host.Address, LabHost.HttpPort), $"{host.Address}:8500 still bound"));
    }

    [Fact]
    public async Task UpAsync_PortTaken_FailsBeforeStartingAnything()
    {
        var options = new LabOptions
        {
            StateDirectory = _stateDirectory,
            RepoRoot = ToolPaths.RepoRoot,
            ConsulBinary = ToolPaths.Consul,
            AddressPrefix = _addressPrefix,
            ConsulOnly = true,
        };
        var orchestrator = new LabOrchestrator(options, NullLoggerFactory.Instance, TimeProvider.System);
        using var squatter = new TcpListener(orchestrator.Topology.AppNodes[1].Address, LabHost.HttpPort);
        squatter.Start();

        var error = await Assert.ThrowsAsync<LabPreflightException>(() => orchestrator.UpAsync(CancellationToken.None));

        Assert.Contains($"{orchestrator.Topology.AppNodes[1].Address}:8500", error.Message);
        Assert.False(File.Exists(Path.Combine(_stateDirectory, "state.json")));
    }

    [Fact]
    public async Task UpAsync_MissingConsulBinary_FailsBeforeStartingAnything()
    {
        var options = new LabOptions
        {
            StateDirectory = _stateDirectory,
            RepoRoot = ToolPaths.RepoRoot,
            ConsulBinary = "/nonexistent/consul",
            AddressPrefix = _addressPrefix,
            ConsulOnly = true,
        };

        var error = await Assert.ThrowsAsync<LabPreflightException>(() => new LabOrchestrator(options, NullLoggerFactory.Instance, TimeProvider.System).UpAsync(CancellationToken.None));

        Assert.Contains("consul", error.Message);
        Assert.False(Directory.Exists(_stateDirectory));
    }

    private static ConsulClient Client(Uri address, string? token) =>
        new(new ConsulClientOptions { Address = address, Token = token, ReadRetry = RetryOptions.None });

    private static bool PortFree(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
