using System.Collections.Concurrent;
using Discovery.Consul.Locking;
using Discovery.Consul.Tests.Support;
using Discovery.Consul.Txn;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Locking;

public sealed class ConsulLeaderLockTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    private const string LockKey = "discovery/apps/web/leader";
    private static readonly TimeSpan AcquireTimeout = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task AcquireAsync_SeveralContenders_ExactlyOneHoldsAndReleaseHandsOnWithinOneSecond(int contenders)
    {
        var locks = Enumerable.Range(0, contenders).Select(i => NewLock($"c{i}")).ToList();
        try
        {
            var pending = locks.ToDictionary(l => l, l => l.AcquireAsync(CancellationToken.None));
            ulong lastToken = 0;
            while (pending.Count > 0)
            {
                var first = await Task.WhenAny(pending.Values).WaitAsync(AcquireTimeout);
                var term = await first;
                var holder = pending.Single(p => p.Value == first).Key;
                pending.Remove(holder);

                var key = (await Client.KV.GetAsync(LockKey)).Value!;
                Assert.Equal(term.SessionId, key.Session);
                Assert.Equal(key.LockIndex, term.FencingToken);
                Assert.True(term.FencingToken > lastToken, $"token {term.FencingToken} after {lastToken}");
                lastToken = term.FencingToken;
                Assert.DoesNotContain(pending.Values, task => task.IsCompleted);
                Assert.True((await Client.Txn.ExecuteAsync([TxnOperation.CheckSession(LockKey, term.SessionId)])).Committed);

                await holder.DisposeAsync();
                Assert.True(term.Lost.IsCancellationRequested);
                Assert.Equal(LeadershipLossReason.Released, term.LossReason);
                if (pending.Count > 0)
                {
                    // A released key carries no lock-delay: the next contender takes it at once.
                    await Task.WhenAny(pending.Values).WaitAsync(TimeSpan.FromSeconds(1));
                }
            }
        }
        finally
        {
            foreach (var contender in locks)
            {
                await contender.DisposeAsync();
            }
        }

        var checks = await Client.Agent.ChecksAsync();
        Assert.DoesNotContain(checks.Keys, id => id.StartsWith("discovery-lock-", StringComparison.Ordinal));
        Assert.Empty((await Client.Sessions.ListAsync()).Value);
    }

    [Fact]
    public async Task Freeze_Holder_AnotherAcquiresAndFrozenHoldersFencedWriteIsRejected()
    {
        await using var frozen = NewLock("frozen");
        await using var waiting = NewLock("waiting");
        var term = await frozen.AcquireAsync(CancellationToken.None).WaitAsync(AcquireTimeout);
        Assert.True((await term.FencedWriteAsync([TxnOperation.Set("discovery/apps/web/desired", "3")], CancellationToken.None)).Committed);
        var next = waiting.AcquireAsync(CancellationToken.None);

        frozen.Freeze();
        var successor = await next.WaitAsync(AcquireTimeout);
        Assert.True(successor.FencingToken > term.FencingToken);

        // The thawing process's first act: a write under its old term. Consul refuses it.
        var late = await term.FencedWriteAsync([TxnOperation.Set("discovery/apps/web/desired", "9")], CancellationToken.None);
        Assert.False(late.Committed);
        Assert.Equal(0, late.Errors[0].OpIndex);
        Assert.True(term.Lost.IsCancellationRequested);
        Assert.Equal(LeadershipLossReason.SessionInvalidated, term.LossReason);
        Assert.Equal("3", (await Client.KV.GetAsync("discovery/apps/web/desired")).Value!.ValueAsString());
        Assert.True((await successor.FencedWriteAsync([TxnOperation.Set("discovery/apps/web/desired", "4")], CancellationToken.None)).Committed);
        frozen.Thaw();
    }

    [Fact]
    public async Task SessionDestroyedExternally_Holder_LostFiresWithSessionInvalidated()
    {
        await using var contender = NewLock("holder");
        var term = await contender.AcquireAsync(CancellationToken.None).WaitAsync(AcquireTimeout);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        term.Lost.Register(() => lost.TrySetResult());

        await Client.Sessions.DestroyAsync(term.SessionId);

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LeadershipLossReason.SessionInvalidated, term.LossReason);
        Assert.False((await term.FencedWriteAsync([TxnOperation.Set("discovery/x", "1")], CancellationToken.None)).Committed);
    }

    [Fact]
    public async Task KeyDeletedExternally_Holder_LostFiresWithKeyTaken()
    {
        await using var contender = NewLock("holder");
        var term = await contender.AcquireAsync(CancellationToken.None).WaitAsync(AcquireTimeout);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        term.Lost.Register(() => lost.TrySetResult());

        await Client.KV.DeleteAsync(LockKey);

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LeadershipLossReason.KeyTaken, term.LossReason);
    }

    [Fact]
    public async Task ConsulKilled_Holder_StepsDownBeforeCheckTtlWithConsulUnreachable()
    {
        await using var contender = NewLock("holder");
        var term = await contender.AcquireAsync(CancellationToken.None).WaitAsync(AcquireTimeout);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        term.Lost.Register(() => lost.TrySetResult());

        await Server.KillAsync();

        await lost.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(LeadershipLossReason.ConsulUnreachable, term.LossReason);
    }

    [Fact]
    public async Task ConsulRestarted_ThreeWritingContenders_NoWriteAcceptedFromADeposedHolder()
    {
        var epoch = 0;
        var accepted = new ConcurrentQueue<FencedWrite>();
        var rejected = 0;
        using var stop = new CancellationTokenSource();
        var locks = Enumerable.Range(0, 3).Select(i => NewLock($"w{i}")).ToList();
        var writers = locks.Select((contender, i) => Task.Run(() => WriteWhileLeadingAsync($"w{i}", contender, stop.Token))).ToList();
        try
        {
            await EventuallyAsync(() => Task.FromResult(accepted.Count >= 20), TimeSpan.FromSeconds(20), "20 fenced writes before the restart");
            await Server.KillAsync();
            Volatile.Write(ref epoch, 1);
            await Server.StartAgainAsync();
            await EventuallyAsync(() => Task.FromResult(accepted.Count(w => w.Epoch == 1) >= 20), TimeSpan.FromSeconds(30), "20 fenced writes after the restart");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(20));
            foreach (var contender in locks)
            {
                await contender.DisposeAsync();
            }
        }

        foreach (var write in accepted.OrderBy(w => w.Epoch).ThenBy(w => w.CommitIndex))
        {
            Output.WriteLine($"epoch {write.Epoch} index {write.CommitIndex} token {write.Token} by {write.Writer}");
        }

        Output.WriteLine($"{rejected} fenced writes rejected");
        foreach (var writes in accepted.GroupBy(w => w.Epoch))
        {
            // A dev-mode restart loses all state, lock indexes included: fencing holds within one Consul lifetime.
            var inCommitOrder = writes.OrderBy(w => w.CommitIndex).ToList();
            var guard = new FencingTokenGuard();
            Assert.All(inCommitOrder, write => Assert.True(guard.TryAccept(write.Token), $"write {write} accepted after token {guard.Highest}"));
            Assert.All(writes.GroupBy(w => w.Token), term => Assert.Single(term.Select(w => w.Writer).Distinct()));
        }

        async Task WriteWhileLeadingAsync(string name, ConsulLeaderLock contender, CancellationToken cancellationToken)
        {
            var sequence = 0;
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    var term = await contender.AcquireAsync(cancellationToken);
                    while (!term.Lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        var writeEpoch = Volatile.Read(ref epoch);
                        var key = $"discovery/apps/web/history/{name}-{sequence++}";
                        try
                        {
                            var result = await term.FencedWriteAsync([TxnOperation.Set(key, $"{name} {term.FencingToken}")], cancellationToken);
                            if (result.Committed)
                            {
                                accepted.Enqueue(new FencedWrite(name, term.FencingToken, writeEpoch, result.Results.Single(r => r.Key == key).ModifyIndex));
                            }
                            else
                            {
                                Interlocked.Increment(ref rejected);
                            }
                        }
                        catch (ConsulUnavailableException)
                        {
                            // Consul is down; the lease deadline will end the term
                        }

                        await Task.Delay(50, CancellationToken.None);
                    }

                    if (cancellationToken.IsCancellationRequested)
                    {
                        await term.DisposeAsync();
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private ConsulLeaderLock NewLock(string name) =>
        new(Client, new LeaderLockOptions { Key = LockKey, HolderDescription = name }, new TestOutputLogger<ConsulLeaderLock>(Output, name));

    private sealed record FencedWrite(string Writer, ulong Token, int Epoch, ulong CommitIndex);
}
