using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.Tests.NodeAgent.Supervision;

public sealed class RestartHistoryTests
{
    // initial 1s, max 8s, more than 3 exits within 30s is a crash loop.
    private static readonly RestartPolicyConfig Policy = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), 3, TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Exits at the given seconds after T0, each run lasting <c>ranFor</c>; returns every decision.</summary>
    private static List<RestartDecision> Replay(double[] exitSeconds, double ranForSeconds = 0.1, double jitter = 0.5)
    {
        var history = new RestartHistory(Policy);
        return exitSeconds
            .Select(second => history.RecordExit(T0.AddSeconds(second), TimeSpan.FromSeconds(ranForSeconds), 1, "boom", jitter))
            .ToList();
    }

    [Theory]
    [InlineData(new[] { 0.0 }, new[] { 1.0 })]
    [InlineData(new[] { 0.0, 1.1, 3.2 }, new[] { 1.0, 2.0, 4.0 })]
    [InlineData(new[] { 0.0, 40.0, 80.0 }, new[] { 1.0, 1.0, 1.0 })]
    [InlineData(new[] { 0.0, 1.0, 3.0, 7.0 }, new[] { 1.0, 2.0, 4.0, 8.0 })]
    [InlineData(new[] { 0.0, 1.0, 3.0, 7.0, 15.0, 45.0, 75.0 }, new[] { 1.0, 2.0, 4.0, 8.0, 8.0, 8.0, 8.0 })]
    public void RecordExit_ExitTimes_BackoffDoublesUpToMax(double[] exits, double[] expectedDelaySeconds)
    {
        var delays = Replay(exits).Select(decision => decision.Delay.TotalSeconds);

        Assert.Equal(expectedDelaySeconds, delays);
    }

    [Theory]
    [InlineData(0.0, 0.8)]
    [InlineData(0.5, 1.0)]
    [InlineData(0.999, 1.1996)]
    public void RecordExit_JitterSample_StaysWithinTwentyPercent(double sample, double expectedSeconds)
    {
        var decision = Replay([0], jitter: sample)[0];

        Assert.Equal(expectedSeconds, decision.Delay.TotalSeconds, precision: 3);
    }

    [Fact]
    public void RecordExit_MoreThanMaxRestartsInWindow_CrashLoopsWithReason()
    {
        var decisions = Replay([0, 1, 3, 7]);

        Assert.All(decisions.Take(3), decision => Assert.Null(decision.CrashLoopReason));
        Assert.True(decisions[3].CrashLoopStarted);
        Assert.Equal("exited 4 times in 7s; last exit code 1; last log line: boom", decisions[3].CrashLoopReason);
    }

    [Fact]
    public void RecordExit_WhileCrashLooping_StaysAtMaxBackoffEvenWhenTheWindowThinsOut()
    {
        // After the loop starts, exits 8s+ apart leave fewer than 4 in the window; it must not flap back.
        var decisions = Replay([0, 1, 3, 7, 15.5, 24, 32.5, 41]);

        Assert.All(decisions.Skip(3), decision =>
        {
            Assert.Equal(TimeSpan.FromSeconds(8), decision.Delay);
            Assert.NotNull(decision.CrashLoopReason);
        });
        Assert.Single(decisions, decision => decision.CrashLoopStarted);
        Assert.StartsWith("exited 8 times in 41s;", decisions[^1].CrashLoopReason);
    }

    [Fact]
    public void RecordExit_RunLastedAWholeWindow_ClearsCrashLoopAndBackoff()
    {
        var history = new RestartHistory(Policy);
        foreach (var second in new[] { 0.0, 1, 3, 7 })
        {
            history.RecordExit(T0.AddSeconds(second), TimeSpan.FromSeconds(0.1), 1, null, 0.5);
        }

        Assert.NotNull(history.CrashLoopReason);

        var decision = history.RecordExit(T0.AddSeconds(60), TimeSpan.FromSeconds(45), 2, null, 0.5);

        Assert.Null(decision.CrashLoopReason);
        Assert.Null(history.CrashLoopReason);
        Assert.Equal(TimeSpan.FromSeconds(1), decision.Delay);
    }

    [Theory]
    [InlineData(null, "", "last exit code unknown; last log line: (no output)")]
    [InlineData(137, "killed", "last exit code 137 (signal 9); last log line: killed")]
    [InlineData(3, "  error: port in use  ", "last exit code 3; last log line: error: port in use")]
    public void RecordExit_CrashLoopReason_DescribesExitCodeAndLastLine(int? exitCode, string lastLine, string expectedTail)
    {
        var history = new RestartHistory(Policy with { MaxRestarts = 1 });
        history.RecordExit(T0, TimeSpan.Zero, exitCode, lastLine, 0.5);

        var decision = history.RecordExit(T0.AddSeconds(1.5), TimeSpan.Zero, exitCode, lastLine, 0.5);

        Assert.Equal($"exited 2 times in 1.5s; {expectedTail}", decision.CrashLoopReason);
    }
}
