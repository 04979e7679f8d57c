using System.Diagnostics;
using Discovery.Core.Processes;

namespace Discovery.Core.Tests.Processes;

/// <summary>One-shot commands (initdb, pg_basebackup …) through CliWrap: exit code, output, environment, timeout.</summary>
public sealed class CommandRunnerTests
{
    [Fact]
    public async Task RunAsync_CommandFails_ExitCodeAndStderrThenStdout()
    {
        var outcome = await CommandRunner.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], new Dictionary<string, string>(), TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal((false, 3, "err\nout\n"), (outcome.TimedOut, outcome.ExitCode, outcome.Output));
    }

    [Fact]
    public async Task RunAsync_Environment_ReachesTheCommandInTheRootFolder()
    {
        var outcome = await CommandRunner.RunAsync("/bin/sh", ["-c", "printf '%s %s' \"$DISCOVERY_X\" \"$(pwd)\""], new Dictionary<string, string> { ["DISCOVERY_X"] = "y" }, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Describe());
        Assert.Equal("y /", outcome.Output);
    }

    [Fact]
    public async Task RunAsync_OutlivesTimeout_KilledAndReportedTimedOut()
    {
        var watch = Stopwatch.StartNew();

        var outcome = await CommandRunner.RunAsync("/bin/sh", ["-c", "echo started; exec sleep 30"], new Dictionary<string, string>(), TimeSpan.FromMilliseconds(300), CancellationToken.None);

        Assert.True(outcome.TimedOut);
        Assert.Equal("timed out", outcome.Describe());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }
}
