using System.Text;
using Discovery.Consul.KV;
using Discovery.Consul.Watching;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Consul.Tests.Watching;

public sealed class DataChangesTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    [Fact]
    public async Task WhereChanged_MissingKeyWhileOtherKeysAreWritten_NoEvent()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var events = new List<string?>();
        var unchangedWakeUps = 0;
        var watch = Task.Run(async () =>
        {
            var results = BlockingWatch.WatchAsync((o, ct) => Client.KV.GetAsync("quiet/missing", o, ct), cancellationToken: stop.Token)
                .Select(result => result.Value)
                .WhereChanged(KVPairComparer.Content, _ => Interlocked.Increment(ref unchangedWakeUps), stop.Token);
            await foreach (var pair in results)
            {
                lock (events)
                {
                    events.Add(pair?.ValueAsString());
                }
            }
        });
        await EventuallyAsync(() => Task.FromResult(Snapshot(events).Count == 1), TimeSpan.FromSeconds(10), "the initial read (missing)");

        // Consul answers a blocking read of a missing key with the KV table's index, so each of
        // these writes wakes the raw watch; none of them may reach the watcher.
        for (var i = 0; i < 10; i++)
        {
            await Client.KV.PutStringAsync($"quiet/other/{i}", "v" + i);
            await Task.Delay(100);
        }

        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref unchangedWakeUps) >= 3), TimeSpan.FromSeconds(10), "the raw watch woke for other keys");
        Assert.Equal([null], Snapshot(events));

        await Client.KV.PutStringAsync("quiet/missing", "here");
        await EventuallyAsync(() => Task.FromResult(Snapshot(events).Count == 2), TimeSpan.FromSeconds(10), "the key's creation is an event");
        await Client.KV.PutStringAsync("quiet/other/0", "changed");
        await Client.KV.DeleteAsync("quiet/missing");
        await EventuallyAsync(() => Task.FromResult(Snapshot(events).Count == 3), TimeSpan.FromSeconds(10), "the key's deletion is an event");
        for (var i = 0; i < 5; i++)
        {
            await Client.KV.PutStringAsync($"quiet/other/{i}", "again" + i);
        }

        await Task.Delay(500);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
        Assert.Equal([null, "here", null], Snapshot(events));
        Output.WriteLine($"{unchangedWakeUps} wake-ups without a data change were filtered out");
    }

    [Fact]
    public async Task WhereChanged_Sequence_YieldsFirstAndEachDifferentItemOnly()
    {
        var unchanged = new List<int>();
        var yielded = new List<int>();
        await foreach (var item in Items(1, 1, 2, 2, 2, 1, 3).WhereChanged(EqualityComparer<int>.Default, unchanged.Add))
        {
            yielded.Add(item);
        }

        Assert.Equal([1, 2, 1, 3], yielded);
        Assert.Equal([1, 2, 2], unchanged);
    }

    public static TheoryData<string, KVPair?, KVPair?, bool> KVPairCases => new()
    {
        { "missing → missing", null, null, true },
        { "missing → present", null, Pair("v"), false },
        { "rewrite with a new ModifyIndex", Pair("v", modifyIndex: 5), Pair("v", modifyIndex: 9), true },
        { "value changed", Pair("v"), Pair("w"), false },
        { "empty value vs no value", Pair(""), Pair("v") with { Value = null }, true },
        { "lock acquired", Pair("v"), Pair("v") with { Session = "s", LockIndex = 1 }, false },
        { "flags changed", Pair("v"), Pair("v") with { Flags = 7 }, false },
        { "other key", Pair("v"), Pair("v") with { Key = "b" }, false },
    };

    [Theory]
    [MemberData(nameof(KVPairCases))]
    public void KVPairComparerContent_Pairs_EqualOnlyWhenContentIs(string name, KVPair? a, KVPair? b, bool equal)
    {
        Assert.True(equal == KVPairComparer.Content.Equals(a, b), name);
        Assert.True(equal == KVPairComparer.Content.Equals(b, a), name + " (swapped)");
    }

    [Fact]
    public void SequenceComparer_Lists_ComparedItemByItemInOrder()
    {
        var names = SequenceComparer<string>.Default;
        Assert.True(names.Equals(["a", "b"], ["a", "b"]));
        Assert.False(names.Equals(["a", "b"], ["b", "a"]));
        Assert.False(names.Equals(["a"], ["a", "b"]));
        Assert.False(names.Equals(null, []));
        Assert.True(KVPairComparer.Listing.Equals([Pair("1", modifyIndex: 1)], [Pair("1", modifyIndex: 2)]));
    }

    private static KVPair Pair(string value, ulong modifyIndex = 1) =>
        new() { Key = "a", Value = Encoding.UTF8.GetBytes(value), ModifyIndex = modifyIndex };

    private static async IAsyncEnumerable<int> Items(params int[] items)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            yield return item;
        }
    }

    private static List<string?> Snapshot(List<string?> events)
    {
        lock (events)
        {
            return [.. events];
        }
    }
}
