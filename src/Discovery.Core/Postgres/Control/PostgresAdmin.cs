using System.Globalization;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Npgsql;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// The SQL a member and the failover leader run, as the superuser over TCP (sockets are off), one
/// short unpooled connection per call with tight timeouts: a probe must answer "no" quickly, never
/// hang on a dying server. Every write here sets <c>synchronous_commit = local</c> for its own session:
/// agent bookkeeping must not wait for a replica (and a primary with none would otherwise block it).
/// </summary>
internal static class PostgresAdmin
{
    private const int TimeoutSeconds = 2;

    public static NpgsqlConnection Connect(MemberEndpoint endpoint, string password, string database = "postgres", int timeoutSeconds = TimeoutSeconds) =>
        new(new NpgsqlConnectionStringBuilder
        {
            Host = endpoint.Address,
            Port = endpoint.Port,
            Username = PostgresConfig.Superuser,
            Password = password,
            Database = database,
            Pooling = false,
            Timeout = timeoutSeconds,
            CommandTimeout = timeoutSeconds,
            ApplicationName = "discovery-agent",
        }.ConnectionString);

    /// <summary>The role probe: primary → heartbeat write; replica → receiver state, positions and heartbeat age.</summary>
    public static async Task<ProbeResult> ProbeAsync(MemberEndpoint endpoint, string password, string nodeName, CancellationToken cancellationToken)
    {
        await using var connection = Connect(endpoint, password);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var recovery = new NpgsqlCommand("select pg_is_in_recovery()", connection))
        {
            if (!(bool)(await recovery.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                await using var replicas = new NpgsqlCommand("select count(*)::int from pg_stat_replication where state = 'streaming'", connection);
                var streaming = (int)(await replicas.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
                await using var beat = new NpgsqlBatch(connection)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("set synchronous_commit = local"),
                        new NpgsqlBatchCommand("insert into discovery.heartbeat (id, at, node) values (1, clock_timestamp(), $1) on conflict (id) do update set at = excluded.at, node = excluded.node")
                        {
                            Parameters = { new NpgsqlParameter { Value = nodeName } },
                        },
                    },
                };
                try
                {
                    await beat.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (PostgresException error) when (error.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
                {
                    return new ProbeResult(false, false, false, null, null, null, null, streaming); // the heartbeat table comes with EnsureObjectsAsync
                }

                return new ProbeResult(false, true, false, null, null, null, null, streaming);
            }
        }

        await using var replica = new NpgsqlCommand(
            "select pg_last_wal_receive_lsn()::text, pg_last_wal_replay_lsn()::text, " +
            "(select status from pg_stat_wal_receiver), (select sender_host from pg_stat_wal_receiver), " +
            "(select extract(epoch from clock_timestamp() - at)::float8 from discovery.heartbeat where id = 1)", connection);
        await using var reader = await replica.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        WalPosition? Position(int column) => !reader.IsDBNull(column) && WalPosition.TryParse(reader.GetString(column), out var position) ? position : null;
        var status = reader.IsDBNull(2) ? null : reader.GetString(2);
        return new ProbeResult(true, false, status == "streaming", reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.IsDBNull(4) ? null : TimeSpan.FromSeconds(Math.Max(0, reader.GetDouble(4))), Position(0), Position(1), 0);
    }

    /// <summary>True once the server accepts a connection and a query.</summary>
    public static async Task<bool> AnswersAsync(MemberEndpoint endpoint, string password, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Connect(endpoint, password, timeoutSeconds: 1);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var ping = new NpgsqlCommand("select 1", connection);
            await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    /// <summary>Promotes a replica and waits (bounded) until it accepts writes.</summary>
    public static async Task<bool> PromoteAsync(MemberEndpoint endpoint, string password, CancellationToken cancellationToken)
    {
        await using var connection = Connect(endpoint, password, timeoutSeconds: 65);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var promote = new NpgsqlCommand("select pg_promote(true, 60)", connection);
        return (bool)(await promote.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>For the leader: is the member in recovery, and how far has it received? Null when it does not answer.</summary>
    public static async Task<(bool InRecovery, WalPosition? Received)?> PositionAsync(MemberEndpoint endpoint, string password, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = Connect(endpoint, password, timeoutSeconds: 1);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("select pg_is_in_recovery(), pg_last_wal_receive_lsn()::text", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var received = !reader.IsDBNull(1) && WalPosition.TryParse(reader.GetString(1), out var position) ? position : (WalPosition?)null;
            return (reader.GetBoolean(0), received);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>
    /// On a primary, once per generation: a checkpoint, the replication role, the heartbeat table, and the app's
    /// database and owner — all idempotent, so a promoted replica runs the same code.
    /// </summary>
    public static async Task EnsureObjectsAsync(MemberEndpoint endpoint, string superuserPassword, string replicationPassword, PostgresDatabaseConfig? database,
        string? databasePassword, CancellationToken cancellationToken)
    {
        await using var connection = Connect(endpoint, superuserPassword, timeoutSeconds: 10);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "set synchronous_commit = local", cancellationToken).ConfigureAwait(false);
        // After a promotion the control file names the new timeline only once a checkpoint ran;
        // until then pg_rewind on the old primary sees "same timeline, no rewind required".
        await ExecuteAsync(connection, "checkpoint", cancellationToken).ConfigureAwait(false);
        await EnsureRoleAsync(connection, PostgresConfig.ReplicationUser, "replication", replicationPassword, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "create schema if not exists discovery; " +
            "create table if not exists discovery.heartbeat (id int primary key, at timestamptz not null, node text not null)", cancellationToken).ConfigureAwait(false);
        if (database is null || databasePassword is null)
        {
            return;
        }

        await EnsureRoleAsync(connection, database.Owner, "", databasePassword, cancellationToken).ConfigureAwait(false);
        await using var exists = new NpgsqlCommand("select count(*)::int from pg_database where datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = database.Name });
        if ((int)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0)
        {
            // Names were validated as plain identifiers (SqlIdentifier): DDL cannot take parameters.
            await ExecuteAsync(connection, $"create database {database.Name} owner {database.Owner}", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureRoleAsync(NpgsqlConnection connection, string role, string attributes, string password, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("select count(*)::int from pg_roles where rolname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = role });
        var verb = (int)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 0 ? "create" : "alter";
        await ExecuteAsync(connection, string.Create(CultureInfo.InvariantCulture,
            $"{verb} role {role} login {attributes} password '{password.Replace("'", "''", StringComparison.Ordinal)}'"), cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
