using Discovery.Consul;
using Discovery.Consul.Watching;
using Npgsql;

namespace Discovery.TodoApp;

/// <summary>
/// Follows the cluster through the local Consul agent (a blocking query on the passing <c>pg</c>
/// instances) and keeps one connection pool for the primary (writes) and one for a replica (reads).
/// When the roles change the pools are replaced, so no request goes to a member that lost its role;
/// while there is no primary, <see cref="Writer"/> is null and writes fail fast.
/// </summary>
internal sealed class DatabaseRouter(ConsulClient consul, TodoSettings settings, TimeProvider time, ILogger<DatabaseRouter> logger) : BackgroundService
{
    private volatile Pools _pools = new(null, null, null, null);

    /// <summary>The primary's pool, or null during a failover.</summary>
    public NpgsqlDataSource? Writer => _pools.Writer;

    /// <summary>A replica's pool, falling back to the primary's.</summary>
    public NpgsqlDataSource? Reader => _pools.Reader ?? _pools.Writer;

    public DatabaseEndpoint? Primary => _pools.Primary;

    public DatabaseEndpoint? Replica => _pools.Replica;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var results = BlockingWatch.WatchAsync(
            (options, token) => consul.Health.ServiceAsync(settings.Cluster, passingOnly: true, options: options, cancellationToken: token),
            onError: (error, delay) => logger.LogWarning("cannot read {Cluster} from Consul (retrying in {Delay}): {Error}", settings.Cluster, delay, error.Message),
            time: time,
            cancellationToken: stoppingToken);
        try
        {
            await foreach (var result in results.ConfigureAwait(false))
            {
                var (primary, replicas) = DatabaseChoice.From(result.Value);
                var replica = replicas.FirstOrDefault();
                var old = _pools;
                if (old.Primary == primary && old.Replica == replica)
                {
                    continue;
                }

                _pools = new Pools(primary, replica, primary is null ? null : Open(primary), replica is null ? null : Open(replica));
                logger.LogInformation("database: primary {Primary}, reads from {Replica}", Describe(primary), Describe(replica ?? primary));
                await old.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await _pools.DisposeAsync().ConfigureAwait(false);
    }

    private NpgsqlDataSource Open(DatabaseEndpoint endpoint) => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
    {
        Host = endpoint.Address,
        Port = endpoint.Port,
        Database = settings.Database,
        Username = settings.User,
        Password = settings.Password,
        // Fail fast: a request must answer 503 within seconds, never hang on a dead member.
        Timeout = 2,
        CommandTimeout = 2,
        ApplicationName = "discovery-todo",
    }.ConnectionString);

    private static string Describe(DatabaseEndpoint? endpoint) => endpoint is null ? "none" : $"{endpoint.Node} ({endpoint.Address}:{endpoint.Port}, generation {endpoint.Generation})";

    private sealed record Pools(DatabaseEndpoint? Primary, DatabaseEndpoint? Replica, NpgsqlDataSource? Writer, NpgsqlDataSource? Reader) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Writer is not null)
            {
                await Writer.DisposeAsync().ConfigureAwait(false);
            }

            if (Reader is not null)
            {
                await Reader.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
