using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Tests.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Scaling.Service;

public sealed class ScalerServiceTests(ITestOutputHelper output) : ConsulScalingTestBase(output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ScalerKeys _web = new("discovery", "web");

    private static ScalingPolicy FastPolicy => ScalingPolicy.Default with
    {
        Min = 1,
        Max = 4,
        UpperRpm = 100,
        LowerRpm = 50,
        EvaluationInterval = TimeSpan.FromSeconds(1), // the shortest a policy may have (issue 12)
        ScaleUpCooldown = TimeSpan.Zero,
        ScaleDownCooldown = TimeSpan.Zero,
        ScaleDownStabilization = TimeSpan.Zero,
    };

    [Fact]
    public async Task RunAsync_TwoScalers_OnlyTheLeaderWrites()
    {
        await RegisterNodeAgentAsync("web", "other");
        var metric = new SettableMetricSource();
        metric.Set(1000); // far above 100 per instance: scales up to max
        await using var a = RunningScaler.Start("scaler-a", Client, FastPolicy, metric, Output);
        await using var b = RunningScaler.Start("scaler-b", Client, FastPolicy, metric, Output);

        await EventuallyAsync(async () => await DesiredAsync() == "4", Patience, "scaled up to max 4");
        await EventuallyAsync(async () => await PlacementAsync(Server.NodeName) == "4", Patience, "placed on the only node");

        var leader = a.Web.CurrentTermToken is not null ? a : b;
        var follower = leader == a ? b : a;
        Assert.NotNull(leader.Web.CurrentTermToken);
        Assert.Null(follower.Web.CurrentTermToken);
        Assert.Equal(0, follower.Web.CommittedWrites);
        var history = await HistoryAsync();
        Assert.True(history.Count >= 3, $"one entry per scale-up, got {history.Count}");
        Assert.All(history, entry =>
        {
            Assert.Equal(leader.Web.CurrentTermToken, entry.FencingToken);
            Assert.Equal(leader.Node, entry.Leader);
        });
        Assert.Equal([1, 2, 3], history.Where(h => h.Kind == "scale").Select(h => h.From));
    }

    [Fact]
    public async Task RunAsync_NoPolicyInKv_LeaderSeedsConfigPolicyOnce()
    {
        await RegisterNodeAgentAsync("web", "other");
        var metric = new SettableMetricSource();
        metric.Set(10);
        await using (RunningScaler.Start("scaler-a", Client, FastPolicy, metric, Output))
        {
            await EventuallyAsync(async () => (await Client.KV.GetAsync(_web.Policy)).Value is not null, Patience, "policy seeded");
        }

        var seeded = ScalingPolicyJson.Read((await Client.KV.GetAsync(_web.Policy)).Value!.ValueAsString());
        Assert.True(seeded.IsValid);
        Assert.Equal(FastPolicy.Max, seeded.Policy!.Max);

        // An operator's override is never replaced by a later leader's seeding.
        await Client.KV.PutStringAsync(_web.Policy, """{"max":2}""");
        await using (var b = RunningScaler.Start("scaler-b", Client, FastPolicy, metric, Output))
        {
            // Seeding happens before the first evaluation of a term: one committed write proves it ran.
            await EventuallyAsync(() => Task.FromResult(b.Web.CommittedWrites > 0), Patience, "the new leader wrote");
        }

        Assert.Equal("""{"max":2}""", (await Client.KV.GetAsync(_web.Policy)).Value!.ValueAsString());
    }

    [Fact]
    public async Task RunAsync_LeaderStops_OtherContinuesFromStoredState()
    {
        await RegisterNodeAgentAsync("web");
        var metric = new SettableMetricSource();
        metric.Set(1000);
        var policy = FastPolicy with { ScaleUpCooldown = TimeSpan.FromHours(1) }; // one scale-up, then blocked for the whole test
        var first = RunningScaler.Start("scaler-a", Client, policy, metric, Output);
        await EventuallyAsync(() => Task.FromResult(first.Web.CurrentTermToken is not null), Patience, "first scaler leads");
        await using var second = RunningScaler.Start("scaler-b", Client, policy, metric, Output);
        await EventuallyAsync(async () => await DesiredAsync() == "2", Patience, "first leader scaled 1 → 2");
        var firstToken = first.Web.CurrentTermToken!.Value;
        var stateBefore = await StateAsync();
        var historyBefore = await HistoryAsync();
        Assert.NotNull(stateBefore.LastScaleUpAt);

        await first.DisposeAsync();
        await EventuallyAsync(async () => (await HistoryAsync()).Any(h => h.FencingToken != firstToken), Patience, "second scaler took over and recorded it");

        var historyAfter = await HistoryAsync();
        var taken = historyAfter.Where(h => h.FencingToken != firstToken).ToList();
        Assert.All(taken, h => Assert.Equal("scaler-b", h.Leader));
        Assert.All(taken, h => Assert.True(h.FencingToken > firstToken));
        Assert.All(taken, h => Assert.True(h.Sequence > historyBefore.Max(x => x.Sequence), "history continues, not restarted"));
        Assert.DoesNotContain(taken, h => h.Kind == "scale"); // a reset cooldown would scale 2 → 3 at once
        Assert.Contains("scale-up cooldown", taken[0].Reason, StringComparison.Ordinal);
        Assert.Equal("2", await DesiredAsync());
        Assert.Equal(stateBefore.LastScaleUpAt, (await StateAsync()).LastScaleUpAt);
    }

    [Fact]
    public async Task RunAsync_LeaderStopsAfterQuietStretch_SuccessorStillWaitsOutStabilization()
    {
        await RegisterNodeAgentAsync("web");
        await Client.KV.PutStringAsync(_web.Desired, "3");
        var metric = new SettableMetricSource();
        metric.Set(225); // 75 per instance at 3: recommends 3, evaluation after evaluation
        var stabilization = TimeSpan.FromSeconds(6);
        var policy = FastPolicy with { ScaleDownStabilization = stabilization };
        await using (var first = RunningScaler.Start("scaler-a", Client, policy, metric, Output))
        {
            await EventuallyAsync(() => Task.FromResult(first.Web.Evaluations >= 3), Patience, "the first leader evaluates");
            var stored = (await Client.KV.GetAsync(_web.ScalerState)).Value!.ModifyIndex;

            // Longer than the window: the stored step "3" is now older than the window, yet it is
            // what the leader still recommends. Nothing is written meanwhile (the point of issue 19).
            await Task.Delay(stabilization + TimeSpan.FromSeconds(2));
            Assert.Equal(stored, (await Client.KV.GetAsync(_web.ScalerState)).Value!.ModifyIndex);
        }

        metric.Set(30); // 10 per instance at 3: recommends 2 from now on
        var takeover = DateTimeOffset.UtcNow;
        await using var second = RunningScaler.Start("scaler-b", Client, policy, metric, Output);
        await EventuallyAsync(async () => await DesiredAsync() == "2", Patience, "the successor scales down once the window has passed");

        var scaledAt = (await HistoryAsync()).Single(h => h.Kind == "scale").At;
        Output.WriteLine($"scaled down {(scaledAt - takeover).TotalSeconds:0.0} s after the successor started");
        Assert.True(scaledAt - takeover >= stabilization - TimeSpan.FromSeconds(0.5),
            $"the successor scaled down {(scaledAt - takeover).TotalSeconds:0.0} s after it started; the old leader's recommendation of 3 held until then, so the {stabilization.TotalSeconds} s window starts there");
        Assert.Contains(await HistoryAsync(), h => h.Leader == "scaler-b" && h.Reason.Contains("highest recommendation in the last 6s is 3", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_QuietFleet_NoKvWriteFor30Seconds()
    {
        await RegisterNodeAgentAsync("web");
        var metric = new SettableMetricSource();
        metric.Set(60); // within 50..100 for 1 instance: nothing to decide, evaluation after evaluation
        var policy = FastPolicy with { ScaleDownStabilization = TimeSpan.FromSeconds(5), ScaleDownCooldown = TimeSpan.FromSeconds(5) };
        await using var scaler = RunningScaler.Start("scaler-a", Client, policy, metric, Output);
        await EventuallyAsync(async () => await DesiredAsync() == "1" && scaler.Web.Evaluations >= 3, Patience, "leading and evaluating");
        var evaluationsBefore = scaler.Web.Evaluations;
        var infoLinesBefore = scaler.Logs.Lines.Count(line => line.Level >= LogLevel.Information);
        var stateIndexBefore = (await Client.KV.GetAsync(_web.ScalerState)).Value!.ModifyIndex;
        var kvIndexBefore = (await Client.KV.KeysAsync("")).LastIndex;

        // hold and autoscale do not exist: their blocking reads wake on every KV write. Writes
        // elsewhere must not make the leader evaluate and write (the loop of issue 19).
        ulong lastUnrelatedWrite = 0;
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            await Client.KV.PutStringAsync("unrelated/key", "v" + i);
            lastUnrelatedWrite = (await Client.KV.GetAsync("unrelated/key")).Value!.ModifyIndex;
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var kvIndexAfter = (await Client.KV.KeysAsync("")).LastIndex;
        var written = (await Client.KV.ListAsync("discovery/")).Value.Where(pair => pair.ModifyIndex > kvIndexBefore).Select(pair => pair.Key).ToList();
        Assert.Empty(written);
        Assert.Equal(stateIndexBefore, (await Client.KV.GetAsync(_web.ScalerState)).Value!.ModifyIndex);
        Assert.Equal(lastUnrelatedWrite, kvIndexAfter); // the test's own six writes moved the KV index, nothing else did
        Assert.True(scaler.Web.Evaluations - evaluationsBefore >= 30, $"{scaler.Web.Evaluations - evaluationsBefore} evaluations in 30 s: the leader kept evaluating");
        Assert.Equal(infoLinesBefore, scaler.Logs.Lines.Count(line => line.Level >= LogLevel.Information)); // quiet logs too
    }

    [Fact]
    public async Task RunAsync_GarbagePolicyOrDesiredInKv_LoggedIgnoredCountKept()
    {
        await RegisterNodeAgentAsync("web");
        await Client.KV.PutStringAsync(_web.Desired, "3");
        var metric = new SettableMetricSource();
        metric.Set(225); // 75 per instance at 3: between lower 50 and upper 100, no change
        await using var scaler = RunningScaler.Start("scaler-a", Client, FastPolicy, metric, Output);
        await EventuallyAsync(async () => await PlacementAsync(Server.NodeName) == "3", Patience, "3 placed");

        await Client.KV.PutStringAsync(_web.Desired, "abc");
        await EventuallyAsync(() => Task.FromResult(scaler.Logs.Contains(LogLevel.Warning, "invalid desired count \"abc\"")), Patience, "garbage desired logged");
        await EventuallyAsync(async () => await DesiredAsync() == "3", Patience, "desired restored to the kept count");

        await Client.KV.PutStringAsync(_web.Policy, "{not json");
        await EventuallyAsync(() => Task.FromResult(scaler.Logs.Contains(LogLevel.Warning, "ignoring invalid policy")), Patience, "garbage policy logged");
        var evaluationsAfterGarbage = scaler.Web.Evaluations;
        await EventuallyAsync(() => Task.FromResult(scaler.Web.Evaluations > evaluationsAfterGarbage + 2), Patience, "evaluations continue");
        Assert.Equal("3", await DesiredAsync());
        Assert.Equal("3", await PlacementAsync(Server.NodeName));

        // A valid override replaces the config policy: max 2 corrects the count at once.
        await Client.KV.PutStringAsync(_web.Policy, """{"max":2}""");
        await EventuallyAsync(async () => await DesiredAsync() == "2", Patience, "valid policy override applied");
    }

    [Fact]
    public async Task RunAsync_HoldWrittenBetweenEvaluations_AppliedWithoutWaitingForTheInterval()
    {
        await RegisterNodeAgentAsync("web");
        var metric = new SettableMetricSource();
        metric.Set(60); // within the band for 1 instance: no autoscaling change
        var slow = FastPolicy with { EvaluationInterval = TimeSpan.FromMinutes(10) };
        await using var scaler = RunningScaler.Start("scaler-a", Client, slow, metric, Output);
        await EventuallyAsync(async () => await DesiredAsync() == "1", Patience, "first evaluation of the term");

        var written = DateTime.UtcNow;
        await Client.KV.PutStringAsync(_web.Hold, HoldJson.Write(new ManualHold(3, DateTimeOffset.UtcNow.AddMinutes(10), "operator")));
        await EventuallyAsync(async () => await PlacementAsync(Server.NodeName) == "3", TimeSpan.FromSeconds(10),
            "the hold woke the leader (the next interval is 10 minutes away)");
        Output.WriteLine($"hold applied after {(DateTime.UtcNow - written).TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task RunAsync_ManualHoldAndPause_Honoured()
    {
        await RegisterNodeAgentAsync("web");
        var metric = new SettableMetricSource();
        metric.Set(1000);
        await Client.KV.PutStringAsync(_web.Autoscale, "off");
        await Client.KV.PutStringAsync(_web.Desired, "1");
        await using var scaler = RunningScaler.Start("scaler-a", Client, FastPolicy, metric, Output);
        await EventuallyAsync(async () => (await HistoryAsync()).Any(h => h.Reason.Contains("paused", StringComparison.Ordinal)), Patience, "paused decision recorded");
        Assert.Equal("1", await DesiredAsync());

        await Client.KV.PutStringAsync(_web.Hold, HoldJson.Write(new ManualHold(3, DateTimeOffset.UtcNow.AddMinutes(10), "test")));
        await EventuallyAsync(async () => await DesiredAsync() == "3", Patience, "hold count applied even while paused");
    }

    [Fact]
    public async Task RunAsync_NodeGoesCritical_ItsShareMovesWithoutScaleDecision()
    {
        await RegisterNodeAgentAsync("web");
        await RegisterCatalogNodeAgentAsync("n-other", "passing");
        await Client.KV.PutStringAsync(_web.Desired, "3");
        var metric = new SettableMetricSource();
        metric.Set(225); // 75 per instance at 3: no scale decision
        var policy = FastPolicy with { EvaluationInterval = TimeSpan.FromMinutes(10) }; // only node changes can move instances
        await using var scaler = RunningScaler.Start("scaler-a", Client, policy, metric, Output);
        await EventuallyAsync(
            async () => await PlacementAsync("n-other") is { } other && await PlacementAsync(Server.NodeName) is { } own && int.Parse(other) + int.Parse(own) == 3 && other != "0" && own != "0",
            Patience,
            "3 spread over both nodes");

        await RegisterCatalogNodeAgentAsync("n-other", "critical");

        await EventuallyAsync(async () => await PlacementAsync("n-other") == "0" && await PlacementAsync(Server.NodeName) == "3", Patience, "critical node's share moved");
        Assert.Equal("3", await DesiredAsync());
        Assert.Contains(await HistoryAsync(), h => h.Reason.Contains("eligible nodes changed", StringComparison.Ordinal) && h.Placement["n-other"] == 0);
    }

    [Fact]
    public async Task RunAsync_LeaderSessionDestroyed_DeposedLeaderStopsWritingAndOtherTakesOver()
    {
        await RegisterNodeAgentAsync("web");
        var metric = new SettableMetricSource();
        metric.Set(225);
        await Client.KV.PutStringAsync(_web.Desired, "3");
        await using var a = RunningScaler.Start("scaler-a", Client, FastPolicy, metric, Output);
        await EventuallyAsync(() => Task.FromResult(a.Web.CurrentTermToken is not null), Patience, "a leads");
        await using var b = RunningScaler.Start("scaler-b", Client, FastPolicy, metric, Output);
        var firstToken = a.Web.CurrentTermToken!.Value;
        var session = (await Client.KV.GetAsync(_web.Leader)).Value!.Session!;

        await Client.Sessions.DestroyAsync(session); // what Consul does when the holder's check goes critical

        await EventuallyAsync(async () => (await HistoryAsync()).Any(h => h.FencingToken > firstToken), Patience, "a new term recorded a decision");
        await EventuallyAsync(async () => (await HistoryAsync()).Count(h => h.FencingToken > firstToken) >= 1 && a.Logs.Contains(LogLevel.Warning, "lost leadership"), Patience, "a noticed");
        var history = await HistoryAsync();
        var tokens = history.Select(h => h.FencingToken).ToList();
        Assert.Equal(tokens.Order(), tokens); // no write from the deposed term after the new one began
        Assert.Equal("3", await DesiredAsync());
    }

    /// <summary>A node agent on another (catalog-only) node, as a real one would appear in the catalog.</summary>
    private async Task RegisterCatalogNodeAgentAsync(string node, string status)
    {
        using var http = new HttpClient { BaseAddress = Server.HttpAddress };
        var body = $$$"""
            {"Node":"{{{node}}}","Address":"127.0.0.1",
             "Service":{"ID":"discovery-agent-{{{node}}}","Service":"discovery-agent","Meta":{"apps":"web"}},
             "Check":{"Node":"{{{node}}}","CheckID":"alive-{{{node}}}","Name":"alive","Status":"{{{status}}}","ServiceID":"discovery-agent-{{{node}}}"}}
            """;
        using var response = await http.PutAsync("/v1/catalog/register", new StringContent(body));
        response.EnsureSuccessStatusCode();
    }

    private async Task<string?> DesiredAsync() => (await Client.KV.GetAsync(_web.Desired)).Value?.ValueAsString();

    private async Task<string?> PlacementAsync(string node) => (await Client.KV.GetAsync(_web.Placement(node))).Value?.ValueAsString();

    private async Task<ScalingState> StateAsync()
    {
        var text = (await Client.KV.GetAsync(_web.ScalerState)).Value?.ValueAsString();
        Assert.True(ScalingStateJson.TryRead(text, out var state, out var error), error);
        return state;
    }

    private async Task<List<DecisionRecord>> HistoryAsync() =>
        (await Client.KV.ListAsync(_web.HistoryPrefix)).Value
            .Select(pair => DecisionRecordJson.TryRead(pair.ValueAsString()))
            .OfType<DecisionRecord>()
            .OrderBy(record => record.Sequence)
            .ToList();
}
