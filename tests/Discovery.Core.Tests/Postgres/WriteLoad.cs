using System.Collections.Concurrent;
using System.Diagnostics;
using Discovery.Core.Postgres.Member;
using Npgsql;

namespace Discovery.Core.Tests.Postgres;

/// <summary>
/// A steady writer, as a client following Consul would be: each write goes to the member registered
/// as passing primary (highest generation), one insert of the next sequence number per connection,
/// no retry. Acknowledged numbers are the ones whose commit returned.
/// </summary>
internal sealed class WriteLoad(PgClusterHarness cluster) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public ConcurrentDictionary<long, string> Acknowledged { get; } = new();

    public int Failed;

    public async Task StartAsync()
    {
        await cluster.ExecuteAsync((await PrimaryAsync())!, "create table if not exists writes (id bigint primary key, at timestamptz default now())");
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Waits until a write is acknowledged by <paramref name="node"/> after <paramref name="since"/>; returns when.</summary>
    public async Task<TimeSpan> FirstAckAsync(string node, Stopwatch since, TimeSpan timeout)
    {
        var start = since.Elapsed;
        while (since.Elapsed - start < timeout)
        {
            if (_firstAckAfterMark.TryGetValue(node, out var at))
            {
                return at;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no write acknowledged by {node} within {timeout.TotalSeconds} s ({Failed} failed)");
    }

    private readonly ConcurrentDictionary<string, TimeSpan> _firstAckAfterMark = new();
    private Stopwatch? _mark;

    public void Mark(Stopwatch clock)
    {
        _firstAckAfterMark.Clear();
        _mark = clock;
    }

    private async Task RunAsync()
    {
        long next = 1;
        while (!_stop.IsCancellationRequested)
        {
            var primary = await PrimaryAsync();
            if (primary is not null)
            {
                try
                {
                    await using var connection = cluster.Connect(primary, 1);
                    await connection.OpenAsync(_stop.Token);
                    await using var insert = new NpgsqlCommand("insert into writes (id) values ($1)", connection) { CommandTimeout = 2 };
                    insert.Parameters.Add(new NpgsqlParameter { Value = next });
                    await insert.ExecuteNonQueryAsync(_stop.Token);
                    Acknowledged[next] = primary;
                    if (_mark is { } mark)
                    {
                        _firstAckAfterMark.TryAdd(primary, mark.Elapsed);
                    }
                }
                catch (Exception error) when (error is NpgsqlException or TimeoutException or InvalidOperationException)
                {
                    Interlocked.Increment(ref Failed);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            next++;
            await Task.Delay(20);
        }
    }

    private async Task<string?> PrimaryAsync()
    {
        try
        {
            return (await cluster.MembersAsync()).Where(member => member is { State: MemberState.Primary, Passing: true })
                .OrderByDescending(member => member.Generation).FirstOrDefault()?.Node;
        }
        catch (Exception error) when (error is Discovery.Consul.ConsulApiException or Discovery.Consul.ConsulUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Acknowledged numbers missing from <paramref name="node"/>'s table.</summary>
    public async Task<IReadOnlyList<long>> MissingOnAsync(string node)
    {
        await using var connection = cluster.Connect(node);
        await connection.OpenAsync();
        await using var read = new NpgsqlCommand("select id from writes", connection);
        var present = new HashSet<long>();
        await using var reader = await read.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            present.Add(reader.GetInt64(0));
        }

        return [.. Acknowledged.Keys.Where(id => !present.Contains(id)).Order()];
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is { } loop)
        {
            _loop = null;
            await _stop.CancelAsync();
            await loop;
        }
    }
}
