using Discovery.Consul;
using Discovery.Consul.Locking;
using Discovery.Consul.Watching;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;
using Npgsql;
using Discovery.Core.Timing;

namespace Discovery.Core.Postgres.Member;

/// <summary>
/// The node agent's Postgres member: follows the cluster state in KV (who is primary) and converges
/// the local postgres to it, one bounded step per check interval — bootstrap (initdb), clone
/// (pg_basebackup), start, promote, fence (stop a primary that is no longer the primary), rejoin
/// (pg_rewind, or a fresh copy) — then probes its role and reports it through its <c>pg</c>
/// registration. It never decides a role itself: that is the failover leader's job, written in the state.
/// </summary>
internal sealed partial class PostgresMember
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RejoinAfter = TimeSpan.FromSeconds(15);

    private readonly PostgresConfig _config;
    private readonly ConsulClient _consul;
    private readonly ClusterKeys _keys;
    private readonly PostgresFiles _files;
    private readonly PostgresTools _tools;
    private readonly PostgresServer _server;
    private readonly MemberReporter _reporter;
    private readonly PrimaryGenerationFile _generationFile;
    private readonly FencingTokenGuard _tokens = new();
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WakeSignal _wake;
    private PostgresSecrets? _secrets;
    private volatile ClusterState? _cluster;
    private string _state = MemberState.Starting;
    private string _output = "starting";
    private bool _passing;
    private WalPosition? _finalLsn;
    private string? _following;
    private long _objectsEnsuredFor;
    private long _notStreamingSince;
    private bool _needsRewind;
    private int _failures;
    private long _nextActionAt;

    public PostgresMember(PostgresConfig config, NodeAgentConfig node, ConsulClient consul, string kvPrefix, IProcessLauncher launcher, TimeProvider time, ILogger<PostgresMember> logger)
    {
        _config = config;
        _consul = consul;
        _time = time;
        _wake = new WakeSignal(time);
        _logger = logger;
        Me = new MemberEndpoint(node.Name, node.AdvertiseAddress, config.Port);
        _keys = new ClusterKeys(kvPrefix, config.Cluster);
        _files = new PostgresFiles(config, node.AdvertiseAddress, node.Name, config.RunAs is { } user ? OsUser.Find(user) : null);
        _tools = new PostgresTools(config, _files);
        _server = new PostgresServer(config, _tools, launcher, Path.Combine(node.LogDir, $"{config.Cluster}-{node.Name}.log"), time);
        _reporter = new MemberReporter(consul, config, node.Name, node.AdvertiseAddress, logger);
        _generationFile = new PrimaryGenerationFile(Path.Combine(node.DataDir, $"postgres-{config.Cluster}.generation"));
    }

    public MemberEndpoint Me { get; }

    /// <summary>The state tag currently published (for tests and status).</summary>
    public string State => _state;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _secrets = PostgresSecrets.Load(_config);
        if (_server.TryAdopt() == PostmasterAdoption.NotOurs)
        {
            Fail($"a postgres this agent did not start runs on {_config.DataDir}; stop it, then restart the node agent");
        }
        else if (_server.Process is { } adopted)
        {
            LogAdopted(adopted.Identity.Pid);
        }

        var watch = WatchStateAsync(cancellationToken);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await StepAsync(cancellationToken).ConfigureAwait(false);
                await _reporter.ReportAsync(_state, _cluster?.Generation ?? 0, _finalLsn, _passing, _output, cancellationToken).ConfigureAwait(false);
                await _wake.WaitAsync(_config.CheckInterval, cancellationToken).ConfigureAwait(false); // a change, or the next check is due
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }

        await watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    /// <summary>Clean shutdown of the agent: fast-stops postgres and deregisters, or leaves it running for the next agent run to adopt.</summary>
    public async Task ShutdownAsync(bool stopPostgres, CancellationToken cancellationToken)
    {
        if (stopPostgres)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
            await _reporter.DeregisterAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        if (_state == MemberState.Failed)
        {
            return; // an operator must act (the check output says what)
        }

        if (_server.Process is { } process && !process.Identity.IsRunning())
        {
            LogExited(_state, process.Identity.Pid);
            await _server.ReapAsync(cancellationToken).ConfigureAwait(false);
            _following = null;
            Backoff();
        }

        var probe = await ProbeAsync(cancellationToken).ConfigureAwait(false);
        var cluster = _cluster;
        if (cluster is null)
        {
            Report(MemberState.Starting, false, _server.Process is null ? "waiting for the cluster state (the failover leader writes it)" : "running; waiting for the cluster state");
            return;
        }

        Describe(cluster, probe);
        if (_time.GetTimestamp() < _nextActionAt)
        {
            return;
        }

        try
        {
            if (cluster.Primary == Me.Node)
            {
                await ActAsPrimaryAsync(cluster, probe, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ActAsReplicaAsync(cluster, probe, cancellationToken).ConfigureAwait(false);
            }

            _failures = 0;
        }
        catch (Exception error) when (error is NpgsqlException or IOException or TimeoutException or InvalidOperationException or ConsulException
                                      || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogStepFailed(error.Message);
            Report(_state, false, "last step failed: " + error.Message);
            Backoff();
        }
    }

    private async Task ActAsPrimaryAsync(ClusterState cluster, ProbeResult? probe, CancellationToken cancellationToken)
    {
        if (cluster.Demote is { } demote)
        {
            if (_server.Process is not null)
            {
                LogDemoting(demote.Target);
                await _server.StopAsync(cancellationToken).ConfigureAwait(false);
            }

            _finalLsn ??= await _tools.LatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
            Report(MemberState.Demoted, false, $"stopped cleanly for the switchover to {demote.Target}; WAL ends at {_finalLsn?.ToString() ?? "?"}");
            return;
        }

        _finalLsn = null;
        if (probe is { InRecovery: false })
        {
            if (_generationFile.Read() < cluster.Generation)
            {
                _generationFile.Write(cluster.Generation);
            }

            await EnsureObjectsAsync(cluster, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (probe is { InRecovery: true })
        {
            LogPromoting(cluster.Generation);
            _generationFile.Write(cluster.Generation);
            await PostgresAdmin.PromoteAsync(Me, _secrets!.Superuser, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_server.Process is not null)
        {
            return; // starting up or not answering: the probe reports it
        }

        if (_generationFile.Read() >= cluster.Generation)
        {
            Report(MemberState.HeldDown, false, $"postgres stopped while primary of generation {cluster.Generation}; held down until the failover leader decides");
            return;
        }

        if (!_files.IsDataDirectory)
        {
            if (cluster.Generation != 1 || _config.Role != PostgresRole.Primary)
            {
                Fail($"the cluster state names this node primary (generation {cluster.Generation}) but {_config.DataDir} holds no data");
                return;
            }

            Report(MemberState.Starting, false, "creating the cluster (initdb)");
            var created = await _tools.InitDbAsync(_secrets!.Superuser, cancellationToken).ConfigureAwait(false);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException("initdb failed: " + created.Describe());
            }
        }

        var wasReplica = _files.WasReplica;
        _files.WriteForStart(standby: wasReplica, follow: null, _secrets!.Replication);
        _generationFile.Write(cluster.Generation);
        await StartAsync(wasReplica ? "as a replica, to promote it" : "as primary", cancellationToken).ConfigureAwait(false);
    }

    private async Task ActAsReplicaAsync(ClusterState cluster, ProbeResult? probe, CancellationToken cancellationToken)
    {
        _finalLsn = null;
        if (probe is { InRecovery: false } || (_server.Process is not null && !_files.WasReplica && probe is null))
        {
            // Fencing: this node runs (or is starting) as primary, but the cluster has another.
            LogFencing(cluster.Primary, cluster.Generation);
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
            Report(MemberState.Rejoining, false, $"stopped: {cluster.Primary} is primary (generation {cluster.Generation}); rejoining as its replica");
            return;
        }

        var primary = await FindPrimaryAsync(cluster, cancellationToken).ConfigureAwait(false);
        if (probe is { InRecovery: true })
        {
            if (_following != cluster.Primary && primary is not null)
            {
                LogFollowing(primary.Node);
                await _server.StopAsync(cancellationToken).ConfigureAwait(false);
                _files.WriteForStart(standby: true, primary, _secrets!.Replication);
                await StartAsync("as a replica of " + primary.Node, cancellationToken).ConfigureAwait(false);
                _following = primary.Node;
                return;
            }

            _notStreamingSince = probe.Streaming || primary is null ? 0 : (_notStreamingSince == 0 ? _time.GetTimestamp() : _notStreamingSince);
            if (_notStreamingSince != 0 && _time.GetElapsedTime(_notStreamingSince) > RejoinAfter)
            {
                // e.g. "requested timeline is not a child of this server's history": it must be rewound.
                LogNotStreaming(RejoinAfter.TotalSeconds);
                await _server.StopAsync(cancellationToken).ConfigureAwait(false);
                _needsRewind = true;
                _notStreamingSince = 0;
            }

            return;
        }

        if (_server.Process is not null)
        {
            return; // starting up
        }

        if (primary is null)
        {
            Report(MemberState.Rejoining, false, $"waiting for {cluster.Primary} to run as primary of generation {cluster.Generation}");
            return;
        }

        Report(MemberState.Rejoining, false, "copying from " + primary.Node);
        if (!_files.IsDataDirectory)
        {
            await CloneAsync(primary, cancellationToken).ConfigureAwait(false);
        }
        else if (!_files.WasReplica || _needsRewind)
        {
            var rewound = await _tools.RewindAsync(primary, _secrets!.Superuser, cancellationToken).ConfigureAwait(false);
            LogRewind(primary.Node, rewound.Describe());
            if (!rewound.Succeeded)
            {
                _files.EmptyDataDirectory();
                await CloneAsync(primary, cancellationToken).ConfigureAwait(false);
            }
        }

        _needsRewind = false;
        _files.WriteForStart(standby: true, primary, _secrets!.Replication);
        await StartAsync("as a replica of " + primary.Node, cancellationToken).ConfigureAwait(false);
        _following = primary.Node;
    }

    private async Task CloneAsync(MemberEndpoint primary, CancellationToken cancellationToken)
    {
        var copied = await _tools.BaseBackupAsync(primary, _secrets!.Replication, cancellationToken).ConfigureAwait(false);
        if (!copied.Succeeded)
        {
            _files.EmptyDataDirectory();
            throw new InvalidOperationException($"pg_basebackup from {primary.Node} failed: {copied.Describe()}");
        }

        LogCloned(primary.Node);
    }

    private async Task StartAsync(string how, CancellationToken cancellationToken)
    {
        _server.Launch();
        LogStarting(how, _server.Process!.Identity.Pid);
        var started = _time.GetTimestamp();
        while (!await PostgresAdmin.AnswersAsync(Me, _secrets!.Superuser, cancellationToken).ConfigureAwait(false))
        {
            if (!_server.Process!.Identity.IsRunning())
            {
                throw new InvalidOperationException($"postgres exited while starting {how}; see its log");
            }

            if (_time.GetElapsedTime(started) > StartTimeout)
            {
                throw new TimeoutException($"postgres did not accept connections within {StartTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureObjectsAsync(ClusterState cluster, CancellationToken cancellationToken)
    {
        if (_objectsEnsuredFor != cluster.Generation)
        {
            await PostgresAdmin.EnsureObjectsAsync(Me, _secrets!.Superuser, _secrets.Replication, _config.Database, _secrets.Database, cancellationToken).ConfigureAwait(false);
            _objectsEnsuredFor = cluster.Generation;
            _wake.Set(); // probe again at once: the heartbeat table may only exist now
        }
    }
}
