using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Operations;
using Discovery.Testing;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Postgres;

/// <summary>Planned switchover through the operator's request, with real postgres under a write load.</summary>
public sealed class SwitchoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Switchover_UnderAsyncWriteLoad_NoAcknowledgedWriteLostAndOldPrimaryFollows()
    {
        Assert.True(PgClusterHarness.PostgresInstalled, "postgresql-15 is not installed (scripts/setup installs it)");
        await using var cluster = await PgClusterHarness.CreateAsync(output);
        cluster.Node("n1", PostgresRole.Primary);
        cluster.Node("n2", PostgresRole.Replica);
        await cluster.StartAsync("n1");
        await cluster.StartAsync("n2");
        await cluster.UntilHealthyAsync("n1", "n2");
        await using var load = new WriteLoad(cluster);
        await load.StartAsync();
        await Eventually.UntilAsync(() => load.Acknowledged.Count >= 20, TimeSpan.FromSeconds(20), "20 writes acknowledged before the switchover");

        var operations = new PgOperations(cluster.Consul, "discovery", "pg", TimeProvider.System);
        var refused = await operations.SwitchoverAsync("n1", TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.False(refused.Done);
        Assert.Contains("already the primary", refused.Message, StringComparison.Ordinal);

        var (done, message) = await operations.SwitchoverAsync("n2", TimeSpan.FromSeconds(60), CancellationToken.None);
        output.WriteLine(message);
        Assert.True(done, message);
        await cluster.UntilHealthyAsync("n2", "n1");
        await Eventually.UntilAsync(() => load.Acknowledged.Count(pair => pair.Value == "n2") >= 10, TimeSpan.FromSeconds(20), "writes on the new primary");
        await load.DisposeAsync();

        Assert.Empty(await load.MissingOnAsync("n2"));
        Assert.True(await cluster.InRecoveryAsync("n1"));
        var history = await cluster.HistoryAsync();
        Assert.Contains(history, decision => decision.Kind == "switchover-start");
        Assert.Contains(history, decision => decision is { Kind: "switchover", Primary: "n2" });
        var status = await operations.StatusAsync(CancellationToken.None);
        Assert.Equal("n2", status.State!.Primary);
        Assert.NotNull(status.Leader);
    }
}
