using System.Diagnostics;
using Discovery.Core.Postgres.Configuration;
using Discovery.Testing;
using Npgsql;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Postgres;

/// <summary>Bootstrap and streaming with real postgres under real node agents.</summary>
public sealed class ReplicationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Bootstrap_PrimaryAndReplica_RowOnPrimaryReadableOnReplicaWithinOneSecond()
    {
        Assert.True(PgClusterHarness.PostgresInstalled, "postgresql-15 is not installed (scripts/setup installs it)");
        await using var cluster = await PgClusterHarness.CreateAsync(output);
        cluster.Node("n1", PostgresRole.Primary);
        cluster.Node("n2", PostgresRole.Replica);
        await cluster.StartAsync("n1");
        await cluster.StartAsync("n2");
        await cluster.UntilHealthyAsync("n1", "n2");

        await cluster.ExecuteAsync("n1", "create table streamed (id int primary key); insert into streamed values (42)");
        var clock = Stopwatch.StartNew();
        await Eventually.UntilAsync(async () =>
        {
            await using var connection = cluster.Connect("n2");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select count(*) from pg_tables where tablename = 'streamed'", connection);
            if ((long)(await command.ExecuteScalarAsync())! == 0)
            {
                return false;
            }

            await using var read = new NpgsqlCommand("select count(*) from streamed where id = 42", connection);
            return (long)(await read.ExecuteScalarAsync())! == 1;
        }, TimeSpan.FromSeconds(1), () => "row 42 on the replica", TimeSpan.FromMilliseconds(10));
        output.WriteLine($"visible on the replica after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(await cluster.InRecoveryAsync("n2"));
        Assert.False(await cluster.InRecoveryAsync("n1"));
        var history = await cluster.HistoryAsync();
        Assert.Equal("bootstrap", history[0].Kind);
    }
}
