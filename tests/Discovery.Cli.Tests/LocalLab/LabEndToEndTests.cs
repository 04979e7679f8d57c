using System.Diagnostics;
using Discovery.Cli.Tests.Commands;
using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Core.Lab;
using Discovery.Core.Load;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.Processes;
using Discovery.Core.Status;
using Discovery.Testing.Load;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.LocalLab;

/// <summary>
/// Issue 7's end-to-end test, real everything: the built `agent` brings up a detached `--fast` lab
/// (3 Consul servers, 3 nodes, 2 scalers, renderer + nginx) on its own loopback /24, then the fleet
/// scales up under a burst, back down after it, survives kill -9 of the leading scaler and of an
/// instance, obeys `agent scale --wait`, and `lab down` leaves nothing — while a steady GET load
/// through nginx must see zero failed requests, counted honestly (issue 13): wrk's keep-alive
/// connections never retry, and the agent's own load counts what HttpClient would hide. Every
/// instance change reaches nginx as a peer push: the renderer never reloads nginx.
/// </summary>
public sealed class LabEndToEndTests(ITestOutputHelper output)
{
    private const string App = "web";

    // agent load plus wrk stay below the fast policy's 40 rpm per instance at two instances, so after
    // the burst the fleet really goes back down (to one or two).
    private const int SteadyRpm = 20;
    private const int SteadyWrkConnections = 2;
    private const int SteadyWrkRpm = 30;
    private const int BurstRpm = 1500;
    private static readonly TimeSpan BurstDuration = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(4);

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task Lab_FullFleetUnderSteadyLoad_ScalesHealsAndServesWithoutErrors()
    {
        var labDirectory = Path.Combine(Path.GetTempPath(), "discovery-e2e-" + Guid.NewGuid().ToString("N"));
        var prefix = $"127.77.{Random.Shared.Next(1, 255)}";
        var environment = new Dictionary<string, string?> { ["DISCOVERY_LAB_DIR"] = labDirectory };
        var seen = new HashSet<ProcessIdentity>();
        var downDone = false;
        using var timeout = new CancellationTokenSource(TestTimeout);
        var ct = timeout.Token;
        try
        {
            var (upExit, upOutput, upError) = await AgentProcess.RunAsync(environment, TimeSpan.FromSeconds(150),
                "lab", "up", "--detach", "--fast", "--lab-dir", labDirectory, "--base-address", prefix);
            Assert.True(upExit == 0, $"lab up exited {upExit}:\n{upOutput}\n{upError}");
            Assert.Contains("fast timings", upOutput, StringComparison.Ordinal);
            Step($"lab up on {prefix}.0/24");
            LabProcesses.Remember(labDirectory, seen);

            Assert.True(OperatorEnvironment.TryLoad(labDirectory, out var operatorEnvironment), "operator.env missing");
            using var consul = new ConsulClient(new ConsulClientOptions
            {
                Address = operatorEnvironment.Address,
                Token = (await File.ReadAllTextAsync(operatorEnvironment.TokenFile, ct)).Trim(),
            });
            var reader = new FleetStatusReader(consul, "discovery", TimeProvider.System);
            var appUrl = new Uri($"http://{prefix}.5:8080/");

            using var steadyStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var steady = RunSteadyLoadAsync(appUrl, steadyStop.Token);
            var steadyWrk = Wrk.RunSeriesAsync(new WrkOptions(appUrl, SteadyWrkConnections, TimeSpan.FromSeconds(10), RequestsPerSecond: SteadyWrkRpm / 60.0), steadyStop.Token);

            // a. Offered load above the threshold → more instances, all of them passing and routed.
            var burstLosses = new KeepAliveLossCounter();
            var burst = new LoadGenerator(burstLosses.CreateHandler(32), TimeProvider.System, burstLosses)
                .RunAsync(new LoadOptions(appUrl, BurstRpm, BurstDuration, Concurrency: 32) { CountKeepAliveLossesAsFailed = true }, null, TimeSpan.FromSeconds(5), ct);
            // ≥ 3, so that step b's "≤ 2" is a real scale-down.
            var up = await EventuallyAsync("scaled up: desired ≥ 3, passing == routed == desired", reader, app =>
                app.Desired is >= 3 and var desired && app.Passing == desired && app.Routed == desired && app.Running == desired, ct);
            Step($"a. scaled up to {up.Desired} routed under {BurstRpm} rpm");
            var burstResult = await burst;
            NotOk(labDirectory);
            Step($"   burst done: {burstResult.Ok} ok, {burstResult.Failed} failed {string.Join(", ", burstResult.FailuresByReason.Select(pair => $"{pair.Key}={pair.Value}"))}" +
                 $" (keep-alive losses: {burstLosses.Resent} re-sent, {burstLosses.ClosedWhileIdle} closed while idle)");
            Assert.Equal(0, burstResult.Failed);
            LabProcesses.Remember(labDirectory, seen);

            // b. Burst over → back down after the stabilization window.
            var down = await EventuallyAsync("scaled down: desired ≤ 2 and routed == desired", reader, app =>
                app.Desired is <= 2 and var desired && app.Routed == desired && app.Running == desired, ct);
            Step($"b. scaled down to {down.Desired}");

            // c. kill -9 of the leading scaler → the other one leads, with a larger fencing token.
            var leader = down.Leader ?? throw new InvalidOperationException("no scaler leads");
            var leaderNode = leader.Node ?? throw new InvalidOperationException("leader session has no node");
            var leaderRecord = LabState.TryLoad(Path.Combine(labDirectory, "state.json"))!.Processes.Single(record => record.Name == "agent-scaler-" + leaderNode);
            LabProcesses.Kill(new ProcessIdentity(leaderRecord.Pid, leaderRecord.StartTime));
            Step($"c. killed leader scaler on {leaderNode} (pid {leaderRecord.Pid}, fencing token {leader.FencingToken})");
            var failedOver = await EventuallyAsync("another scaler leads with a larger fencing token", reader, app =>
                app.Leader is { Node: { } node } newLeader && node != leaderNode && newLeader.FencingToken > leader.FencingToken, ct);
            Step($"   {failedOver.Leader!.Node} leads, fencing token {failedOver.Leader.FencingToken}");

            // e (before d, so several instances run): `agent scale --wait` with a hold autoscaling honours.
            var (scaleExit, scaleOutput, scaleError) = await AgentProcess.RunAsync(environment, TimeSpan.FromSeconds(90),
                "scale", App, "--to", "4", "--wait", "--hold", "2m", "--reason", "end-to-end test");
            Assert.True(scaleExit == 0, $"scale exited {scaleExit}:\n{scaleOutput}\n{scaleError}");
            var four = await EventuallyAsync("4 passing and routed", reader, app =>
                app.Desired == 4 && app.Passing == 4 && app.Routed == 4 && app.Running == 4, ct);
            Step($"e. agent scale {App} --to 4 --wait: exit 0, {four.Routed} routed");
            LabProcesses.Remember(labDirectory, seen);

            // d. kill -9 of one instance → out of rotation, restarted (new pid), passing and routed again.
            var victim = Assert.Single(four.Instances.Take(1));
            var victimRecord = InstancesOn(labDirectory, victim.Node).Single(record => $"{App}-{victim.Node}-{record.Port}" == victim.Id);
            LabProcesses.Kill(new ProcessIdentity(victimRecord.Pid, victimRecord.StartTime));
            Step($"d. killed instance {victim.Id} (pid {victimRecord.Pid})");
            await EventuallyAsync($"{victim.Id} is out of rotation", reader, app =>
                app.Instances.FirstOrDefault(instance => instance.Id == victim.Id) is not { Health: CheckStatus.Passing, Routed: true }, ct, TimeSpan.FromMilliseconds(50));
            Step("   out of rotation");
            await EventuallyAsync("the instance is restarted and 4 are passing and routed again", reader, app =>
                app.Passing == 4 && app.Routed == 4 && app.Running == 4
                && InstancesOn(labDirectory, victim.Node).Any(record => record.InstanceId == victimRecord.InstanceId && record.Pid != victimRecord.Pid
                    && new ProcessIdentity(record.Pid, record.StartTime).IsRunning()), ct);
            Step("   restarted, 4 routed again");
            LabProcesses.Remember(labDirectory, seen);

            await steadyStop.CancelAsync();
            var steadyResult = await steady;
            var wrkResult = await steadyWrk;
            Step($"steady load: {steadyResult.Sent} sent, {steadyResult.Ok} ok, {steadyResult.Failed} failed (keep-alive losses counted as failures)");
            Step($"steady wrk: {wrkResult}");
            Assert.True(steadyResult.Failed == 0, "failed requests: " + string.Join(", ", steadyResult.FailuresByReason.Select(pair => $"{pair.Key}={pair.Value}")));
            Assert.True(steadyResult.Ok > 0);
            Assert.True(wrkResult.Failed == 0, $"wrk counted failures: {wrkResult}");
            Assert.True(wrkResult.Requests > 0);

            // Instances came and went all along; not one of those changes reloaded nginx.
            var rendererLog = File.ReadLines(Path.Combine(labDirectory, "logs", "agent-render.log")).ToList();
            var reloads = rendererLog.Count(line => line.Contains("Ran nginx -s reload", StringComparison.Ordinal) && !line.Contains("not running", StringComparison.Ordinal));
            var pushes = rendererLog.Count(line => line.Contains("Installed " + Path.Combine(labDirectory, "lb", "nginx", "peers", "peers.txt"), StringComparison.Ordinal));
            Step($"renderer: {reloads} nginx reloads, {pushes} peer pushes");
            Assert.Equal(0, reloads);
            Assert.True(pushes > 5, $"only {pushes} peer pushes");

            // f. lab down → exit 0, nothing left, folder gone.
            LabProcesses.Remember(labDirectory, seen);
            var (downExit, downOutput, downError) = await AgentProcess.RunAsync(environment, TimeSpan.FromSeconds(90), "lab", "down", "--lab-dir", labDirectory);
            downDone = true;
            Assert.True(downExit == 0, $"lab down exited {downExit}:\n{downOutput}\n{downError}");
            Assert.DoesNotContain(seen, identity => identity.IsRunning());
            Assert.False(Directory.Exists(labDirectory));
            Step($"f. lab down: {seen.Count} processes seen, none left");
        }
        finally
        {
            await LabProcesses.CleanUpAsync(environment, labDirectory, seen, downDone, output);
        }
    }

    /// <summary>The steady agent load (5 s runs, keep-alive losses counted as failures), until stopped.</summary>
    private static Task<LoadSnapshot> RunSteadyLoadAsync(Uri url, CancellationToken stop) =>
        new LoadSeries(new LoadOptions(url, SteadyRpm, TimeSpan.FromSeconds(5)), 16, TimeProvider.System).RunAsync(stop);

    private async Task<AppStatus> EventuallyAsync(string what, FleetStatusReader reader, Func<AppStatus, bool> condition, CancellationToken cancellationToken, TimeSpan? poll = null)
    {
        var deadline = Stopwatch.StartNew();
        AppStatus? last = null;
        while (deadline.Elapsed < StepTimeout)
        {
            try
            {
                last = (await reader.ReadAsync(App, cancellationToken)).Apps.Single();
                if (condition(last))
                {
                    return last;
                }
            }
            catch (ConsulException exception)
            {
                output.WriteLine($"[{_clock.Elapsed.TotalSeconds:F1}s] status read failed: {exception.Message}");
            }

            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(500), cancellationToken);
        }

        throw new TimeoutException($"not within {StepTimeout.TotalSeconds:F0}s: {what}; last: desired {last?.Desired}, running {last?.Running}, " +
            $"passing {last?.Passing}, routed {last?.Routed}, leader {last?.Leader?.Node}/{last?.Leader?.FencingToken}; " +
            $"decisions: {string.Join(" | ", last?.Decisions.Select(decision => decision.Summary) ?? [])}");
    }

    /// <summary>nginx's access-log lines that were not answered 2xx, so a failed load says what nginx saw.</summary>
    private void NotOk(string labDirectory)
    {
        var log = Path.Combine(labDirectory, "lb", "nginx", "logs", "access.log");
        foreach (var line in File.ReadLines(log).Where(line => !line.Contains("\" 200 ", StringComparison.Ordinal)).Take(20))
        {
            output.WriteLine("   nginx: " + line);
        }

        foreach (var line in File.ReadLines(Path.Combine(labDirectory, "logs", "agent-render.log")).Where(line => line.Contains("Installed ", StringComparison.Ordinal) || line.Contains("Ran ", StringComparison.Ordinal)))
        {
            output.WriteLine("   renderer: " + line);
        }

        foreach (var file in Directory.EnumerateFiles(Path.Combine(labDirectory, "logs"), "node-*.log"))
        {
            foreach (var line in File.ReadLines(file).Where(line => line.Contains("Check is now critical", StringComparison.Ordinal) || line.Contains("Check status", StringComparison.Ordinal)).Take(10))
            {
                output.WriteLine($"   {Path.GetFileName(file)}: {line}");
            }
        }
    }

    private void Step(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {what}");

    private static IReadOnlyList<InstanceRecord> InstancesOn(string labDirectory, string node) =>
        InstanceStateFile.Load(Path.Combine(labDirectory, "nodes", node, "data", "instances.json"));
}
