using System.Diagnostics;
using Discovery.Consul;
using Discovery.Consul.Sessions;
using Xunit.Abstractions;

namespace Discovery.Testing.Consul;

/// <summary>
/// A real Consul cluster of server agents (3 by default) on loopback: each server has its own
/// 127.x.y.z, free ports and data dir, bootstraps with bootstrap_expect and retry_join of the
/// others, raft_multiplier 1 (production timing). Ready when every server sees the same leader
/// and can create a session. Dispose kills exactly the pids it started and removes the temp dir.
/// </summary>
public sealed class ConsulClusterFixture : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly ITestOutputHelper? _output;
    private readonly string _rootDirectory;

    private ConsulClusterFixture(int size, ITestOutputHelper? output)
    {
        _output = output;
        _rootDirectory = Directory.CreateTempSubdirectory("discovery-consul-cluster-").FullName;
        Members = Enumerable.Range(0, size).Select(i => new ConsulClusterMember(i, _rootDirectory)).ToList();
    }

    /// <summary>The servers.</summary>
    public IReadOnlyList<ConsulClusterMember> Members { get; }

    /// <summary>Starts a cluster and waits until it is ready.</summary>
    public static async Task<ConsulClusterFixture> StartAsync(int size = 3, ITestOutputHelper? output = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var cluster = new ConsulClusterFixture(size, output);
        try
        {
            foreach (var member in cluster.Members)
            {
                member.Start(cluster.Members);
            }

            await cluster.WaitUntilReadyAsync(cluster.Members, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Restarts a killed member with its data and waits until the cluster is ready again.</summary>
    public async Task StartAgainAsync(ConsulClusterMember member, CancellationToken cancellationToken = default)
    {
        member.Start(Members);
        await WaitUntilReadyAsync(Members.Where(m => m.ProcessId is not null).ToList(), cancellationToken);
    }

    /// <summary>The member that is Raft leader now, or null when there is none.</summary>
    public async Task<ConsulClusterMember?> LeaderAsync(CancellationToken cancellationToken = default)
    {
        foreach (var member in Members.Where(m => m.ProcessId is not null))
        {
            try
            {
                using var client = member.CreateClient(TimeSpan.FromSeconds(2));
                var leader = await client.Status.LeaderAsync(cancellationToken);
                return Members.FirstOrDefault(m => m.ServerRpcAddress == leader);
            }
            catch (ConsulException)
            {
                // ask the next one
            }
        }

        return null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }

        if (_output is not null)
        {
            foreach (var member in Members)
            {
                var log = member.Log;
                _output.WriteLine($"--- consul server {member.NodeName} at {member.HttpAddress} log (last 4000 chars) ---");
                _output.WriteLine(log.Length > 4000 ? log[^4000..] : log);
            }
        }

        try
        {
            Directory.Delete(_rootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the OS temp cleaner gets it otherwise
        }
    }

    private async Task WaitUntilReadyAsync(IReadOnlyList<ConsulClusterMember> running, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        var clients = running.Select(m => m.CreateClient(TimeSpan.FromSeconds(2))).ToList();
        try
        {
            Exception? last = null;
            while (deadline.Elapsed < ReadyTimeout)
            {
                foreach (var member in running)
                {
                    member.ThrowIfExited();
                }

                try
                {
                    if (await ReadyAsync(clients, cancellationToken))
                    {
                        return;
                    }
                }
                catch (ConsulException error)
                {
                    last = error;
                }

                await Task.Delay(200, cancellationToken);
            }

            throw new TimeoutException($"consul cluster not ready after {ReadyTimeout.TotalSeconds}s (last: {last?.Message})\n" +
                                       string.Join("\n", running.Select(m => $"--- {m.NodeName} ---\n{Tail(m.Log)}")));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task<bool> ReadyAsync(IReadOnlyList<ConsulClient> clients, CancellationToken cancellationToken)
    {
        var leaders = new HashSet<string>();
        foreach (var client in clients)
        {
            leaders.Add(await client.Status.LeaderAsync(cancellationToken));
        }

        if (leaders.Count != 1 || string.IsNullOrEmpty(leaders.First()))
        {
            return false;
        }

        // A session needs the agent's node in the catalog: proves each server is fully usable.
        foreach (var client in clients)
        {
            var session = await client.Sessions.CreateAsync(new SessionRequest { Name = "cluster-ready-probe" }, cancellationToken: cancellationToken);
            await client.Sessions.DestroyAsync(session, cancellationToken: cancellationToken);
        }

        return true;
    }

    private static string Tail(string log) => log.Length > 3000 ? log[^3000..] : log;
}
