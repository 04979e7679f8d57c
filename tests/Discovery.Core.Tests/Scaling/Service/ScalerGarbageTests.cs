using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Service;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Scaling.Service;

/// <summary>
/// Issue 12: whoever can write the app's KV keys cannot make the scaler spin, step down or write
/// nonsense. Real Consul, the real leader lock; the number of acquisitions is read from the lock
/// key's LockIndex (each acquisition raises it by one and is a Raft write).
/// </summary>
public sealed class ScalerGarbageTests(ITestOutputHelper output) : ConsulScalingTestBase(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ScalerKeys _web = new("discovery", "web");

    private static ScalingPolicy Policy => ScalingPolicy.Default with
    {
        Min = 1,
        Max = 4,
        UpperRpm = 100,
        LowerRpm = 50,
        EvaluationInterval = TimeSpan.FromSeconds(1),
        ScaleUpCooldown = TimeSpan.Zero,
        ScaleDownCooldown = TimeSpan.Zero,
        ScaleDownStabilization = TimeSpan.Zero,
    };

    [Fact]
    public async Task RunAsync_PlacementsSummingPastIntMax_RepairedByOneTermWithoutLockCycles()
    {
        await RegisterNodeAgentAsync("web");
        await Client.KV.PutStringAsync(_web.Desired, "2");
        await Client.KV.PutStringAsync(_web.Placement(Server.NodeName), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Client.KV.PutStringAsync(_web.Placement("gone-node"), int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var metric = new SettableMetricSource();
        metric.Set(150); // 75 per instance at 2: no scale decision
        await using var scaler = RunningScaler.Start("scaler-a", Client, Policy, metric, Output);

        await EventuallyAsync(async () => await PlacementAsync(Server.NodeName) == "2" && await PlacementAsync("gone-node") == "0", Patience, "the bad placement repaired by the leader's fenced write");
        var evaluations = scaler.Web.Evaluations;
        await EventuallyAsync(() => Task.FromResult(scaler.Web.Evaluations >= evaluations + 3), Patience, "three more evaluations");

        Assert.Equal("2", await DesiredAsync());
        Assert.Equal(1UL, await AcquisitionsAsync());
        Assert.False(scaler.Logs.Contains(LogLevel.Error, "unexpected failure"), "the scaler stepped down over the garbage");
    }

    /// <summary>key (relative to apps/web/), garbage value.</summary>
    public static readonly (string Key, string Value)[] Garbage =
    [
        ("desired", "-1"),
        ("desired", "2147483647"),
        ("desired", "99999999999999999999"),
        ("desired", "3.5"),
        ("desired", "{\"count\":3}"),
        ("placement/NODE", "-5"),
        ("placement/NODE", "2147483647"),
        ("placement/NODE", "lots"),
        ("hold", "{not json"),
        ("hold", "{\"count\":-1,\"until\":\"2099-01-01T00:00:00Z\"}"),
        ("hold", "{\"count\":2147483647,\"until\":\"2099-01-01T00:00:00Z\"}"),
        ("hold", "{\"count\":\"3\",\"until\":\"2099-01-01T00:00:00Z\"}"),
        ("hold", "[1,2,3]"),
        ("policy", "{\"max\":2147483647}"),
        ("policy", "{\"min\":-3}"),
        ("policy", "{\"evaluationInterval\":\"100ns\"}"),
        ("policy", "{\"max\":\"lots\"}"),
        ("policy", "null"),
        ("autoscale", "maybe"),
        ("scaler-state", "{\"recommendations\":\"x\"}"),
    ];

    [Fact]
    public async Task RunAsync_GarbageTable_LeaderKeepsLeadingWithValidCountsAndBoundedLockCycles()
    {
        await RegisterNodeAgentAsync("web");
        await Client.KV.PutStringAsync(_web.Desired, "2");
        var metric = new SettableMetricSource();
        metric.Set(150); // 75 per instance at 2: no scale decision
        await using var scaler = RunningScaler.Start("scaler-a", Client, Policy, metric, Output);
        await EventuallyAsync(async () => await PlacementAsync(Server.NodeName) == "2", Patience, "2 placed");
        var token = scaler.Web.CurrentTermToken;

        foreach (var (key, value) in Garbage)
        {
            var path = $"{_web.AppPrefix}{key.Replace("NODE", Server.NodeName, StringComparison.Ordinal)}";
            await Client.KV.PutStringAsync(path, value);
            var evaluations = scaler.Web.Evaluations;
            await EventuallyAsync(() => Task.FromResult(scaler.Web.Evaluations >= evaluations + 2), Patience, $"two evaluations after {key}={value}");

            Assert.True(AppSnapshot.ParseCount(await DesiredAsync()) is >= 1 and <= 4, $"desired {await DesiredAsync()} after {key}={value}");
            Assert.True(AppSnapshot.ParseCount(await PlacementAsync(Server.NodeName)) is >= 1 and <= 4, $"placement {await PlacementAsync(Server.NodeName)} after {key}={value}");
            Assert.Equal(token, scaler.Web.CurrentTermToken);
            await Client.KV.DeleteAsync(path);
            if (key is "desired" or "placement/NODE")
            {
                await Client.KV.PutStringAsync(path, "2");
            }
        }

        Assert.Equal(1UL, await AcquisitionsAsync());
        Assert.False(scaler.Logs.Contains(LogLevel.Error, "unexpected failure"), "the scaler stepped down over garbage");
    }

    [Fact]
    public async Task RunAsync_HoldAboveMaxWithoutForceMarker_ClampedAndLogged()
    {
        await RegisterNodeAgentAsync("web");
        var metric = new SettableMetricSource();
        metric.Set(60);
        await using var scaler = RunningScaler.Start("scaler-a", Client, Policy, metric, Output);
        await EventuallyAsync(async () => await DesiredAsync() == "1", Patience, "first evaluation");

        await Client.KV.PutStringAsync(_web.Hold, HoldJson.Write(new ManualHold(9, DateTimeOffset.UtcNow.AddMinutes(10), "hand-written")));
        await EventuallyAsync(() => Task.FromResult(scaler.Logs.Contains(LogLevel.Warning, "without the force marker")), Patience, "clamp logged");
        await EventuallyAsync(async () => await DesiredAsync() == "4", Patience, "held at max 4, not 9");

        await Client.KV.PutStringAsync(_web.Hold, HoldJson.Write(new ManualHold(6, DateTimeOffset.UtcNow.AddMinutes(10), "agent scale --force", Forced: true)));
        await EventuallyAsync(async () => await DesiredAsync() == "6", Patience, "a forced hold may exceed max");
    }

    /// <summary>How often the leader lock was acquired: its LockIndex.</summary>
    private async Task<ulong> AcquisitionsAsync() => (await Client.KV.GetAsync(_web.Leader)).Value!.LockIndex;

    private async Task<string?> DesiredAsync() => (await Client.KV.GetAsync(_web.Desired)).Value?.ValueAsString();

    private async Task<string?> PlacementAsync(string node) => (await Client.KV.GetAsync(_web.Placement(node))).Value?.ValueAsString();
}
