namespace Discovery.Core.Postgres.Configuration;

/// <summary>
/// One Postgres member run by a node agent (the <c>postgres:</c> section of the node config), as
/// validated by <see cref="PostgresConfigBinder"/>. The member registers as service
/// <see cref="Cluster"/>; the cluster's state (who is primary) lives in Consul KV and is written only
/// by the fenced failover leader, which every member's node agent contends to be.
/// </summary>
/// <param name="Cluster">Consul service name and KV folder (<c>&lt;prefix&gt;/pg/&lt;cluster&gt;/</c>). Default "pg".</param>
/// <param name="Role">The role for the cluster's first start (KV has no state yet). After that the cluster state decides.</param>
/// <param name="Upstream">Replicas: the node they are first cloned from (the member configured primary). Informative and validated; the cluster state names the primary to follow.</param>
/// <param name="DataDir">Postgres data directory (absolute). Its parent must exist: a typo in a mount path must not get a fresh, empty database.</param>
/// <param name="Port">TCP port on the node's advertise address. Default 5432.</param>
/// <param name="BinDir">Where initdb, postgres, pg_basebackup, pg_rewind, pg_controldata live.</param>
/// <param name="RunAs">Unprivileged OS user postgres runs as when the agent is root (postgres refuses root). Null: the agent's own user.</param>
/// <param name="SuperuserPasswordFile">Password of the "postgres" superuser (probes, promote, pg_rewind).</param>
/// <param name="ReplicationPasswordFile">Password of the "replicator" role (pg_basebackup, streaming).</param>
/// <param name="Database">Optional application database and owner the primary ensures.</param>
/// <param name="SynchronousCommit">
/// True: a commit returns only once a replica has flushed it (<c>synchronous_standby_names = 'ANY 1 (*)'</c>),
/// so a failover loses no acknowledged write, and writes wait while no replica streams. False (default):
/// commits return at once; a failover may lose the last writes the replica had not received.
/// </param>
/// <param name="AllowedNetworks">CIDRs allowed to connect (pg_hba.conf, password auth). Default 127.0.0.0/8.</param>
/// <param name="CheckInterval">How often the role probe runs and the TTL check is updated. Default 1s.</param>
/// <param name="MaxLag">A replica whose last replayed heartbeat is older than this is critical (not a failover candidate). Default 10s.</param>
/// <param name="FailoverGrace">How long the primary must be failing before the leader fails over. Default 5s.</param>
/// <param name="StopTimeout">Fast shutdown (SIGINT) → this long → SIGKILL. Default 30s.</param>
public sealed record PostgresConfig(
    string Cluster,
    PostgresRole Role,
    string? Upstream,
    string DataDir,
    int Port,
    string BinDir,
    string? RunAs,
    string SuperuserPasswordFile,
    string ReplicationPasswordFile,
    PostgresDatabaseConfig? Database,
    bool SynchronousCommit,
    IReadOnlyList<string> AllowedNetworks,
    TimeSpan CheckInterval,
    TimeSpan MaxLag,
    TimeSpan FailoverGrace,
    TimeSpan StopTimeout)
{
    public const string DefaultCluster = "pg";
    public const int DefaultPort = 5432;
    public const string DefaultBinDir = "/usr/lib/postgresql/15/bin";
    public const string DefaultRunAs = "postgres";
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultMaxLag = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultFailoverGrace = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan DefaultStopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Superuser name: Postgres' own default, created by initdb.</summary>
    public const string Superuser = "postgres";

    /// <summary>The replication role pg_basebackup and the replicas' walreceivers log in as.</summary>
    public const string ReplicationUser = "replicator";

    /// <summary>The binary of one Postgres tool.</summary>
    public string Tool(string name) => Path.Combine(BinDir, name);
}
