using System.Diagnostics;
using Discovery.Consul.Queries;
using Discovery.Consul.Tests.Support;
using Discovery.Consul.Watching;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Watching;

public sealed class BlockingQueryTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    [Fact]
    public async Task BlockingGet_KeyChanges_WakesBeforeWait()
    {
        await Client.KV.PutStringAsync("block/k", "1");
        var first = await Client.KV.GetAsync("block/k");

        var blocked = Client.KV.GetAsync("block/k", QueryOptions.Default.Blocking(first.LastIndex, TimeSpan.FromSeconds(30)));
        await Task.Delay(300);
        Assert.False(blocked.IsCompleted, "a blocking query must wait while nothing changes");
        await Client.KV.PutStringAsync("block/k", "2");

        var woke = await blocked.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("2", woke.Value!.ValueAsString());
        Assert.True(woke.LastIndex > first.LastIndex);
    }

    [Fact]
    public async Task BlockingGet_NoChange_ReturnsAfterWaitWithSameIndex()
    {
        await Client.KV.PutStringAsync("block/still", "1");
        var first = await Client.KV.GetAsync("block/still");

        var clock = Stopwatch.StartNew();
        var result = await Client.KV.GetAsync("block/still", QueryOptions.Default.Blocking(first.LastIndex, TimeSpan.FromSeconds(1)));
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"returned after {clock.Elapsed}");
        Assert.Equal(first.LastIndex, result.LastIndex);
    }

    [Fact]
    public async Task Watch_KeyChangesTwice_YieldsInitialAndEachChange()
    {
        await Client.KV.PutStringAsync("watch/k", "a");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<string>();
        var watch = Task.Run(async () =>
        {
            await foreach (var result in BlockingWatch.WatchAsync((o, ct) => Client.KV.GetAsync("watch/k", o, ct), cancellationToken: stop.Token))
            {
                lock (seen)
                {
                    seen.Add(result.Value?.ValueAsString() ?? "<none>");
                }

                if (result.Value?.ValueAsString() == "c")
                {
                    return;
                }
            }
        });

        await EventuallyAsync(() => Task.FromResult(Count(seen) >= 1), TimeSpan.FromSeconds(5), "initial value");
        await Client.KV.PutStringAsync("watch/k", "b");
        await EventuallyAsync(() => Task.FromResult(Count(seen) >= 2), TimeSpan.FromSeconds(5), "first change");
        await Client.KV.PutStringAsync("watch/k", "c");
        await watch.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["a", "b", "c"], seen);
    }

    // A 60 s wait is the default: the read after the outage must not block on the old, higher index
    // (a minute blind), so the test's 30 s bound fails without the plain read after a failure.
    [Theory]
    [InlineData(2)]
    [InlineData(60)]
    public async Task Watch_ConsulRestarts_ResetsIndexAndKeepsGoingWithoutSpinning(int waitSeconds)
    {
        for (var i = 0; i < 60; i++)
        {
            // Distinct values: Consul does not bump the index for a write that changes nothing.
            await Client.KV.PutStringAsync("restart/k", "before-" + i); // raise the key's index well above what a fresh server reaches
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var results = new List<(ulong Index, string Value)>();
        var errors = 0;
        var queries = 0;
        var watch = Task.Run(async () =>
        {
            await foreach (var result in BlockingWatch.WatchAsync(
                               (o, ct) => { Interlocked.Increment(ref queries); return Client.KV.GetAsync("restart/k", o, ct); },
                               options: new WatchOptions { Wait = TimeSpan.FromSeconds(waitSeconds) },
                               onError: (e, d) => { Interlocked.Increment(ref errors); Output.WriteLine($"watch error {e.Message}, retry in {d}"); },
                               cancellationToken: stop.Token))
            {
                Output.WriteLine($"watch result index {result.LastIndex} value {result.Value?.ValueAsString()}");
                lock (results)
                {
                    results.Add((result.LastIndex, result.Value?.ValueAsString() ?? "<none>"));
                }

                if (result.Value?.ValueAsString() == "after")
                {
                    return;
                }
            }
        });

        await EventuallyAsync(() => Task.FromResult(Count(results) >= 1), TimeSpan.FromSeconds(5), "initial value");
        Assert.True(results[0].Index > 50, $"index {results[0].Index} should be above a fresh server's");
        var indexBefore = results[0].Index;
        await Server.KillAsync();
        await Task.Delay(1500); // the watch now fails and backs off
        await Server.StartAgainAsync();
        await Client.KV.PutStringAsync("restart/k", "after"); // dev mode lost everything: index starts low again

        await watch.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(errors >= 1, "the outage was reported to onError");
        Assert.Equal("after", results[^1].Value);
        Assert.True(results[^1].Index < indexBefore, $"index went backwards ({indexBefore} → {results[^1].Index}) and the watch followed");
        Assert.True(queries < 60, $"{queries} queries in the outage window: the watch must back off, not spin");
    }

    private static int Count<T>(List<T> list)
    {
        lock (list)
        {
            return list.Count;
        }
    }
}
