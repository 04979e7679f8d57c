using System.Diagnostics;
using Discovery.Core.Deploying;
using Discovery.Testing.Load;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Deploying;

/// <summary>
/// Deploys end to end (<see cref="DeployRig"/>: real Consul, node agent, sample-app processes,
/// renderer, nginx, scaler leader), asked for through <see cref="DeployOperation"/> as `agent deploy` does.
/// </summary>
public sealed class DeployThroughNginxTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeployTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Deploy_RollingUnderWrkThenBadVersion_ZeroFailedThenAutoRevertedWithReason()
    {
        await using var rig = await DeployRig.StartAsync(output, DeployRig.Policy(4, 4), 4);

        // Rolling 1.0.0 → 1.1.0 under a steady keep-alive load from a client that never retries.
        var wrk = Wrk.RunAsync(new WrkOptions(rig.Nginx.BaseAddress, 4, TimeSpan.FromSeconds(25), RequestsPerSecond: 200), CancellationToken.None);
        var started = Stopwatch.StartNew();
        var rolled = await rig.DeployAsync(new DeployRequest { Action = DeployRequest.Deploy, Version = "1.1.0", MinHealthyMs = 1000 }, DeployTimeout);
        output.WriteLine($"rolling deploy of 4 instances took {started.Elapsed.TotalSeconds:0.0}s");
        var load = await wrk;
        output.WriteLine($"wrk: {load}");

        Assert.True(rolled.Succeeded, rolled.Message);
        Assert.Equal(0, load.Failed);
        Assert.Equal(["1.1.0", "1.1.0", "1.1.0", "1.1.0"], await rig.RoutedVersionsAsync());
        var history = await rig.DeployHistoryAsync();
        Assert.Equal(["1 of 4", "2 of 4", "3 of 4", "4 of 4"], history.Select(entry => entry.Reason).Where(reason => reason.Contains(" replaced", StringComparison.Ordinal)).Select(reason => reason[7..13]));
        Assert.Single(history.Select(entry => entry.FencingToken).Distinct());

        // A bad build: its instances never pass, so they are never routed; the leader reverts by itself.
        var wrkBad = Wrk.RunAsync(new WrkOptions(rig.Nginx.BaseAddress, 4, TimeSpan.FromSeconds(12), RequestsPerSecond: 200), CancellationToken.None);
        var badStarted = Stopwatch.StartNew();
        var bad = await rig.DeployAsync(new DeployRequest { Action = DeployRequest.Deploy, Version = DeployRig.BadVersion, HealthDeadlineMs = 5000 }, DeployTimeout);
        output.WriteLine($"auto-revert of the bad version took {badStarted.Elapsed.TotalSeconds:0.0}s from the request");
        var loadBad = await wrkBad;
        output.WriteLine($"wrk: {loadBad}");

        Assert.False(bad.Succeeded);
        var state = await rig.StateAsync();
        Assert.Equal(("1.1.0", DeployStatus.Done, DeployStatus.Failed), (state!.Version, state.Status, state.Outcome));
        Assert.Contains($"of {DeployRig.BadVersion} not passing and routed within 5s", state.Reason, StringComparison.Ordinal);
        Assert.Contains(await rig.DeployHistoryAsync(), entry => entry.Reason.StartsWith($"{DeployRig.BadVersion}: failed:", StringComparison.Ordinal));
        await rig.UntilAsync(async () => (await rig.RegisteredVersionsAsync()).SequenceEqual(["1.1.0", "1.1.0", "1.1.0", "1.1.0"]), "only 1.1.0 left");
        Assert.Equal(0, loadBad.Failed);
    }

    [Fact]
    public async Task Deploy_VersionAnswering5xx_AutoRevertedOnItsErrorShare()
    {
        await using var rig = await DeployRig.StartAsync(output, DeployRig.Policy(2, 2), 2);
        var wrk = Wrk.RunAsync(new WrkOptions(rig.Nginx.BaseAddress, 2, TimeSpan.FromSeconds(15), RequestsPerSecond: 100), CancellationToken.None);
        var started = Stopwatch.StartNew();

        var result = await rig.DeployAsync(new DeployRequest { Action = DeployRequest.Deploy, Version = DeployRig.ErrorVersion, MinHealthyMs = 10_000, MaxErrorPercent = 10 }, DeployTimeout);
        output.WriteLine($"reverted after {started.Elapsed.TotalSeconds:0.0}s; wrk: {await wrk}");

        Assert.False(result.Succeeded);
        var state = await rig.StateAsync();
        Assert.Equal(("1.0.0", DeployStatus.Failed), (state!.Version, state.Outcome));
        Assert.Matches($@"5xx share of {DeployRig.ErrorVersion} is \d+(\.\d)?% \(\d+ of \d+ requests\), over 10%", state.Reason);
        await rig.UntilAsync(async () => (await rig.RegisteredVersionsAsync()).SequenceEqual(["1.0.0", "1.0.0"]), "only 1.0.0 left");
    }

    [Fact]
    public async Task Deploy_Canary25Percent_ShareWithinBoundsAbortNonePromoteAll()
    {
        await using var rig = await DeployRig.StartAsync(output, DeployRig.Policy(4, 4), 4);
        var canary = new DeployRequest { Action = DeployRequest.Deploy, Version = "1.1.0", CanaryPercent = 25, MinHealthyMs = 500 };

        Assert.True((await rig.DeployAsync(canary, DeployTimeout)).Succeeded);
        await rig.UntilAsync(async () => (await rig.RoutedVersionsAsync()).Contains("1.1.0"), "the canary routed");
        var shares = await rig.VersionSharesAsync(2000);
        output.WriteLine($"canary at 25%: {string.Join(", ", shares.Select(pair => $"{pair.Key}={pair.Value}"))}");
        Assert.InRange(shares.GetValueOrDefault("1.1.0"), 300, 700); // 15-35 % of 2,000
        Assert.Equal(5, (await rig.RoutedVersionsAsync()).Count); // the canary runs next to the 4, not instead of one

        var aborted = await rig.DeployAsync(new DeployRequest { Action = DeployRequest.Abort }, DeployTimeout);
        Assert.Contains("aborted", aborted.Message, StringComparison.Ordinal);
        await rig.UntilAsync(async () => (await rig.RegisteredVersionsAsync()).SequenceEqual(["1.0.0", "1.0.0", "1.0.0", "1.0.0"]), "the canary removed");
        Assert.Equal(0, (await rig.VersionSharesAsync(400)).GetValueOrDefault("1.1.0"));

        Assert.True((await rig.DeployAsync(canary, DeployTimeout)).Succeeded);
        await rig.UntilAsync(async () => (await rig.RoutedVersionsAsync()).Contains("1.1.0"), "the canary routed again");
        var promoted = await rig.DeployAsync(new DeployRequest { Action = DeployRequest.Promote, MinHealthyMs = 500 }, DeployTimeout);
        Assert.True(promoted.Succeeded, promoted.Message);
        await rig.UntilAsync(async () => (await rig.RegisteredVersionsAsync()).SequenceEqual(["1.1.0", "1.1.0", "1.1.0", "1.1.0"]), "the last 1.0.0 drained");
        Assert.Equal(400, (await rig.VersionSharesAsync(400)).GetValueOrDefault("1.1.0"));
    }

    [Fact]
    public async Task Deploy_LeaderKilledAndScaledUpMidDeploy_NextLeaderResumesNoDoubleReplacement()
    {
        await using var rig = await DeployRig.StartAsync(output, DeployRig.Policy(2, 4), 3, scalers: 2);
        var started = new HashSet<string>();
        using var stopWatching = new CancellationTokenSource();
        var watching = WatchNewVersionStartsAsync(rig, started, stopWatching.Token);

        var (requested, _) = await rig.Deploys.RequestAsync("web", new DeployRequest { Action = DeployRequest.Deploy, Version = "1.1.0", MinHealthyMs = 1000 }, CancellationToken.None);
        Assert.True(requested.Succeeded);
        await rig.UntilAsync(async () => (await rig.DeployHistoryAsync()).Any(entry => entry.Reason.Contains("1 of 3 instance(s) replaced", StringComparison.Ordinal)), "one instance replaced");
        var leader = rig.Scalers.Single(scaler => scaler.Web.CurrentTermToken is not null);
        var firstToken = leader.Web.CurrentTermToken!.Value;
        await leader.DisposeAsync(); // the leader goes away mid-deploy
        rig.Scalers.Remove(leader);
        rig.Metric.Set(400); // and the autoscaler wants 4 meanwhile

        await rig.UntilAsync(async () => await rig.StateAsync() is { Status: DeployStatus.Done }, "the deploy finished");
        await stopWatching.CancelAsync();
        await watching;

        var state = await rig.StateAsync();
        Assert.Equal(("1.1.0", DeployStatus.Succeeded), (state!.Version, state.Outcome));
        await rig.UntilAsync(async () => (await rig.RoutedVersionsAsync()).SequenceEqual(["1.1.0", "1.1.0", "1.1.0", "1.1.0"]), "4 instances, all 1.1.0");
        var history = await rig.DeployHistoryAsync();
        foreach (var entry in history)
        {
            output.WriteLine($"history {entry.Sequence}: token {entry.FencingToken}: {entry.Reason}");
        }

        Assert.Contains(history, entry => entry.FencingToken == firstToken);
        Assert.Contains(history, entry => entry.FencingToken > firstToken); // the next leader went on
        Assert.Equal(history.Select(entry => entry.FencingToken).Order(), history.Select(entry => entry.FencingToken));
        Assert.Equal(4, started.Count); // one 1.1.0 process per final instance: no step taken twice
    }

    /// <summary>Collects every 1.1.0 process that registered (instance ID + its start time, so a reused port is a new entry).</summary>
    private static async Task WatchNewVersionStartsAsync(DeployRig rig, HashSet<string> started, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var entry in (await rig.Harness.Consul.Health.ServiceAsync("web")).Value.Where(entry => entry.Service.Meta!["version"] == "1.1.0"))
            {
                started.Add(entry.Service.ID + "@" + entry.Service.Meta!.GetValueOrDefault("started"));
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
