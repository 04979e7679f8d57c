using System.Diagnostics;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Member;
using Discovery.Testing;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Postgres;

/// <summary>Failover with real postgres, real node agents and a real write load.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task KillPrimaryPostmaster_SynchronousCommit_ReplicaPromotedNoAcknowledgedWriteLostOldPrimaryRejoinsAsReplica()
    {
        Assert.True(PgClusterHarness.PostgresInstalled, "postgresql-15 is not installed (scripts/setup installs it)");
        await using var cluster = await PgClusterHarness.CreateAsync(output);
        cluster.Node("n1", PostgresRole.Primary, synchronous: true);
        cluster.Node("n2", PostgresRole.Replica, synchronous: true);
        await cluster.StartAsync("n1");
        await cluster.StartAsync("n2");
        await cluster.UntilHealthyAsync("n1", "n2");
        await using var load = new WriteLoad(cluster);
        await load.StartAsync();
        await Eventually.UntilAsync(() => load.Acknowledged.Count >= 20, TimeSpan.FromSeconds(20), "20 writes acknowledged before the kill");

        // Watch the old primary from the kill on: it must never again answer as a primary.
        using var watching = new CancellationTokenSource();
        var everPrimaryAgain = false;
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                try
                {
                    everPrimaryAgain |= !await cluster.InRecoveryAsync("n1");
                }
                catch (Exception)
                {
                    // down or starting: not a primary
                }

                await Task.Delay(50);
            }
        });

        var clock = Stopwatch.StartNew();
        load.Mark(clock);
        cluster.KillPostmaster("n1");
        var recovered = await load.FirstAckAsync("n2", clock, TimeSpan.FromSeconds(60));
        output.WriteLine($"first write acknowledged by the new primary {recovered.TotalSeconds:0.00} s after the kill; {load.Failed} writes failed meanwhile");

        await cluster.UntilHealthyAsync("n2", "n1");
        await Eventually.UntilAsync(() => load.Acknowledged.Count(pair => pair.Value == "n2") >= 20, TimeSpan.FromSeconds(20), "writes on n2 with n1 streaming again");
        await watching.CancelAsync();
        await watcher;
        await load.DisposeAsync();

        Assert.Empty(await load.MissingOnAsync("n2"));
        Assert.False(everPrimaryAgain, "the old primary answered as primary after the kill");
        Assert.True(await cluster.InRecoveryAsync("n1"));
        var state = await cluster.StateAsync();
        Assert.Equal(("n2", 2L), (state!.Primary, state.Generation));
        var history = await cluster.HistoryAsync();
        Assert.Single(history, decision => decision.Kind == "failover");
        Assert.Contains(history, decision => decision is { Kind: "confirmed", Primary: "n2", Generation: 2 });
    }

    [Fact]
    public async Task LeaderKilledRightAfterDeciding_NextLeaderConfirmsFromKv_OnePromotionOnly()
    {
        Assert.True(PgClusterHarness.PostgresInstalled, "postgresql-15 is not installed (scripts/setup installs it)");
        await using var cluster = await PgClusterHarness.CreateAsync(output);
        cluster.Node("n1", PostgresRole.Primary);
        cluster.Node("n2", PostgresRole.Replica);
        cluster.Node("n3", PostgresRole.Replica);
        await cluster.StartAsync("n1");
        await cluster.StartAsync("n2");
        await cluster.StartAsync("n3");
        await cluster.UntilHealthyAsync("n1", "n2", "n3");

        // The leader that decides the failover stops dead right after its decision is committed
        // (before it sees the promotion through), and then loses its session, as a killed process would.
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            cluster.Runtime(node).Postgres!.Leader.AfterDecision = async (decision, token) =>
            {
                if (decision.Kind == "failover")
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
            };
        }

        cluster.KillPostmaster("n1");
        await Eventually.UntilAsync(async () => (await cluster.HistoryAsync()).Any(decision => decision.Kind == "failover"),
            TimeSpan.FromSeconds(30), () => "a failover decided");
        var holder = (await cluster.Consul.KV.GetAsync(cluster.Keys.Leader)).Value!.Session!;
        await cluster.Consul.Sessions.DestroyAsync(holder);
        output.WriteLine($"destroyed the deciding leader's session {holder}");
        await Eventually.UntilAsync(async () => (await cluster.HistoryAsync()).Any(decision => decision is { Kind: "confirmed", Generation: 2 }),
            TimeSpan.FromSeconds(60), () => "the failover of generation 2 confirmed");

        var history = await cluster.HistoryAsync();
        foreach (var decision in history)
        {
            output.WriteLine($"{decision.Sequence} {decision.Kind} g{decision.Generation} {decision.Primary} token {decision.FencingToken} by {decision.Leader}: {decision.Reason}");
        }

        var failover = Assert.Single(history, decision => decision.Kind == "failover");
        var confirmed = history.Single(decision => decision is { Kind: "confirmed", Generation: 2 });
        Assert.True(confirmed.FencingToken > failover.FencingToken, "a later term confirmed the decision");
        Assert.Equal(failover.Primary, confirmed.Primary);
        var members = await cluster.MembersAsync();
        Assert.Single(members, member => member.State == MemberState.Primary);
        Assert.Equal(2, (await cluster.StateAsync())!.Generation);
    }
}
