using System.Diagnostics;
using Discovery.Consul;
using Discovery.Consul.Watching;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Member;
using Npgsql;

namespace Discovery.Bench.PgFailover;

/// <summary>
/// A steady writer, as an application following the cluster through Consul is: a blocking watch on
/// the passing <c>pg</c> members names the primary (passing, in state primary, highest generation);
/// every <c>interval</c> one insert of the next number goes through a pool for that primary, one at
/// a time, never retried. Acknowledged = the commit returned; failed = refused, timed out, or not
/// possible because Consul named no primary that tick. Every write is bounded (connect 2 s, command
/// 2 s), so a dead primary costs failed writes, never a stuck writer.
/// </summary>
internal sealed class ConsulFollowingWriter(ConsulClient consul, string database, string user, string password, TimeSpan interval) : IAsyncDisposable
{
    private const string Table = "bench_writes";
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, NpgsqlDataSource> _pools = new(StringComparer.Ordinal);
    private readonly List<(long Id, string Node, TimeSpan At)> _acknowledged = [];
    private readonly List<TimeSpan> _failed = [];
    private volatile MemberReport? _primary;
    private Task? _watch;
    private Task? _writes;

    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The primary Consul names now (passing), or null during a failover.</summary>
    public MemberReport? Primary => _primary;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = WatchAsync(_stop.Token);
        MemberReport? primary;
        while ((primary = _primary) is null)
        {
            await Task.Delay(50, cancellationToken);
        }

        await using (var connection = await Pool(primary.Endpoint).OpenConnectionAsync(cancellationToken))
        await using (var create = new NpgsqlCommand($"create table if not exists {Table} (id bigint primary key, at timestamptz not null default now())", connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        _writes = WriteAsync(_stop.Token);
    }

    /// <summary>When <paramref name="node"/> first acknowledged a write after <paramref name="after"/>; waits up to <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan> FirstAckAsync(string node, TimeSpan after, TimeSpan timeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_acknowledged)
            {
                foreach (var ack in _acknowledged.Where(ack => ack.Node == node && ack.At > after))
                {
                    return ack.At;
                }
            }

            if (Now - after > timeout)
            {
                throw new TimeoutException($"no write acknowledged by {node} within {timeout.TotalSeconds:0} s");
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>Writes that failed (not acknowledged) between two moments.</summary>
    public int FailedBetween(TimeSpan from, TimeSpan to)
    {
        lock (_failed)
        {
            return _failed.Count(at => at >= from && at <= to);
        }
    }

    public int AcknowledgedCount
    {
        get
        {
            lock (_acknowledged)
            {
                return _acknowledged.Count;
            }
        }
    }

    /// <summary>Acknowledged numbers that <paramref name="endpoint"/>'s table does not hold.</summary>
    public async Task<IReadOnlySet<long>> MissingOnAsync(MemberEndpoint endpoint, CancellationToken cancellationToken)
    {
        HashSet<long> acknowledged;
        lock (_acknowledged)
        {
            acknowledged = [.. _acknowledged.Select(ack => ack.Id)];
        }

        await using var connection = await Pool(endpoint).OpenConnectionAsync(cancellationToken);
        await using var read = new NpgsqlCommand($"select id from {Table}", connection) { CommandTimeout = 30 };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            acknowledged.Remove(reader.GetInt64(0));
        }

        return acknowledged;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var task in new[] { _watch, _writes }.OfType<Task>())
        {
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        foreach (var pool in _pools.Values)
        {
            await pool.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        var results = BlockingWatch.WatchAsync(
            (options, token) => consul.Health.ServiceAsync(PgFailoverBenchmark.Cluster, passingOnly: true, options: options, cancellationToken: token),
            cancellationToken: cancellationToken);
        await foreach (var result in results)
        {
            _primary = result.Value.Select(entry => MemberReport.TryRead(entry, out _)).OfType<MemberReport>()
                .Where(member => member.State == MemberState.Primary)
                .MaxBy(member => member.Generation);
        }
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        long next = 1;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = Now;
            if (_primary is { } primary)
            {
                var id = next++;
                try
                {
                    await using var connection = await Pool(primary.Endpoint).OpenConnectionAsync(cancellationToken);
                    await using var insert = new NpgsqlCommand($"insert into {Table} (id) values ($1)", connection);
                    insert.Parameters.Add(new NpgsqlParameter { Value = id });
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                    lock (_acknowledged)
                    {
                        _acknowledged.Add((id, primary.Node, Now));
                    }
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException or InvalidOperationException
                                              || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    lock (_failed)
                    {
                        _failed.Add(Now);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            else
            {
                // No primary in Consul: the write this tick cannot be made (an app answers 503).
                lock (_failed)
                {
                    _failed.Add(Now);
                }
            }

            var rest = interval - (Now - started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private NpgsqlDataSource Pool(MemberEndpoint endpoint)
    {
        var key = $"{endpoint.Address}:{endpoint.Port}";
        lock (_pools)
        {
            if (!_pools.TryGetValue(key, out var pool))
            {
                pool = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
                {
                    Host = endpoint.Address,
                    Port = endpoint.Port,
                    Database = database,
                    Username = user,
                    Password = password,
                    Timeout = 2,
                    CommandTimeout = 2,
                    ApplicationName = "discovery-bench-writer",
                }.ConnectionString);
                _pools[key] = pool;
            }

            return pool;
        }
    }
}
