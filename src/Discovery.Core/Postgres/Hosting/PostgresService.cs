using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Failover;
using Discovery.Core.Postgres.Member;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Postgres.Hosting;

/// <summary>
/// What a node agent runs for its <c>postgres:</c> section: the member (its own postgres) and a
/// contender for the cluster's failover leadership. The node agent calls <see cref="RunAsync"/>
/// next to its app reconcilers and <see cref="ShutdownAsync"/> when it stops.
/// </summary>
internal sealed class PostgresService : IAsyncDisposable
{
    private readonly ConsulLeaderLock _lock;

    private PostgresService(PostgresMember member, FailoverLeader leader, ConsulLeaderLock leaderLock)
    {
        Member = member;
        Leader = leader;
        _lock = leaderLock;
    }

    public PostgresMember Member { get; }

    public FailoverLeader Leader { get; }

    /// <summary>Runs <see cref="PostgresPreflight"/>; throws a <see cref="Configuration.ConfigException"/> (exit 2) before anything starts.</summary>
    public static PostgresService Create(NodeAgentConfig node, ConsulClient consul, string kvPrefix, IProcessLauncher launcher, TimeProvider time, ILoggerFactory loggers)
    {
        var config = node.Postgres ?? throw new ArgumentException("the node runs no postgres", nameof(node));
        var errors = PostgresPreflight.Check(config, node.AdvertiseAddress);
        if (errors.Count > 0)
        {
            throw new Discovery.Core.Configuration.ConfigException(errors);
        }

        var keys = new ClusterKeys(kvPrefix, config.Cluster);
        var leaderLock = new ConsulLeaderLock(consul, new LeaderLockOptions
        {
            Key = keys.Leader,
            CheckTtl = TimeSpan.FromSeconds(2),
            HolderDescription = $"postgres failover leader on {node.Name} pid {Environment.ProcessId}",
        }, loggers.CreateLogger<ConsulLeaderLock>(), time);
        var member = new PostgresMember(config, node, consul, kvPrefix, launcher, time, loggers.CreateLogger<PostgresMember>());
        var leader = new FailoverLeader(config, node.Name, consul, kvPrefix, leaderLock, PostgresSecrets.Read(config.SuperuserPasswordFile), time, loggers.CreateLogger<FailoverLeader>());
        return new PostgresService(member, leader, leaderLock);
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Member.RunAsync(cancellationToken), Leader.RunAsync(cancellationToken));

    /// <summary>After <see cref="RunAsync"/> ended: gives up leadership, then stops postgres (or leaves it for the next agent run).</summary>
    public async Task ShutdownAsync(bool stopPostgres, CancellationToken cancellationToken)
    {
        await _lock.DisposeAsync().ConfigureAwait(false);
        await Member.ShutdownAsync(stopPostgres, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _lock.DisposeAsync();
}
