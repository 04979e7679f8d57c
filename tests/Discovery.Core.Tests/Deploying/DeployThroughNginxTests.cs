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
}
