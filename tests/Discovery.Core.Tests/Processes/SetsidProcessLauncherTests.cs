using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.Processes;

public sealed class SetsidProcessLauncherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly SetsidProcessLauncher _launcher = new(TimeProvider.System, TimeSpan.FromMilliseconds(20));

    private static ProcessLaunchSpec Shell(ProcessTestScope scope, string script, string log = "app.log", Dictionary<string, string>? env = null) =>
        new("/bin/sh", ["-c", script], env ?? [], scope.Directory, scope.PathOf(log));

    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return [stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')], .. stat[(stat.LastIndexOf(')') + 2)..].Split(' ')];
    }

    [Fact]
    public void Launch_Command_PidIsTheAppItselfAndLeadsItsOwnSessionAndGroup()
    {
        using var scope = new ProcessTestScope();
        using var process = scope.Track(_launcher.Launch(new ProcessLaunchSpec("sleep", ["30"], new Dictionary<string, string>(), null, scope.PathOf("sleep.log"))));

        var pid = process.Identity.Pid;
        SpinWait.SpinUntil(() => StatFields(pid)[0] == "sleep", Patience);
        var fields = StatFields(pid);

        Assert.Equal("sleep", fields[0]);
        Assert.Equal(pid.ToString(), fields[3]); // pgrp
        Assert.Equal(pid.ToString(), fields[4]); // session
        Assert.Equal(ProcessIdentity.TryRead(pid), process.Identity);
    }

    [Fact]
    public async Task Launch_Output_AppendsStdoutAndStderrToTheLogWithEnvAndWorkingDir()
    {
        using var scope = new ProcessTestScope();
        File.WriteAllText(scope.PathOf("app.log"), "earlier line\n");
        using var process = scope.Track(_launcher.Launch(Shell(scope, "echo out $GREETING; echo err >&2; pwd; read line || echo stdin-empty; echo log-var=${DISCOVERY_LOG:-unset}", env: new() { ["GREETING"] = "hello" })));

        var exitCode = await process.WaitForExitAsync(CancellationToken.None);

        Assert.Equal(0, exitCode);
        Assert.Equal(["earlier line", "out hello", "err", scope.Directory, "stdin-empty", "log-var=unset"], File.ReadAllLines(scope.PathOf("app.log")));
    }

    [Fact]
    public async Task WaitForExitAsync_ExitCode_IsTheAppsOwn()
    {
        using var scope = new ProcessTestScope();
        using var process = scope.Track(_launcher.Launch(Shell(scope, "exit 7")));

        Assert.Equal(7, await process.WaitForExitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StopAsync_ChildTrapsTerm_GetsSigtermAndExitsCleanly()
    {
        using var scope = new ProcessTestScope();
        var marker = scope.PathOf("terminated");
        using var process = scope.Track(_launcher.Launch(Shell(scope, $"trap 'echo term > {marker}; exit 0' TERM; echo ready; while true; do sleep 0.05; done")));
        await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("app.log", "ready"), Patience, "the child traps TERM");

        var graceful = await ProcessGroupStopper.StopAsync(process, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);

        Assert.True(graceful);
        Assert.Equal("term\n", File.ReadAllText(marker));
        Assert.False(process.GroupExists);
    }

    [Fact]
    public async Task StopAsync_ChildIgnoresTerm_IsKilledAfterStopTimeout()
    {
        using var scope = new ProcessTestScope();
        using var process = scope.Track(_launcher.Launch(Shell(scope, "trap '' TERM; echo ready; while true; do sleep 0.05; done")));
        await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("app.log", "ready"), Patience, "the child ignores TERM");
        var started = DateTime.UtcNow;

        var graceful = await ProcessGroupStopper.StopAsync(process, TimeSpan.FromMilliseconds(300), TimeProvider.System, CancellationToken.None);

        Assert.False(graceful);
        Assert.False(process.GroupExists);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(300), "SIGKILL came before the stop timeout");
        Assert.Equal(137, await process.WaitForExitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task StopAsync_Grandchildren_DieWithTheGroup()
    {
        using var scope = new ProcessTestScope();
        var grandchildPidFile = scope.PathOf("grandchild.pid");
        // The grandchild ignores TERM and outlives its parent's exit, so only the group kill can end it.
        using var process = scope.Track(_launcher.Launch(Shell(scope, $"sh -c 'trap \"\" TERM; while true; do sleep 0.05; done' & echo $! > {grandchildPidFile}; wait")));
        await ProcessTestScope.WaitUntilAsync(() => File.Exists(grandchildPidFile) && File.ReadAllText(grandchildPidFile).EndsWith('\n'), Patience, "the grandchild started");
        var grandchild = ProcessIdentity.TryRead(int.Parse(File.ReadAllText(grandchildPidFile).Trim()))!.Value;
        scope.Track(grandchild);

        await ProcessGroupStopper.StopAsync(process, TimeSpan.FromMilliseconds(300), TimeProvider.System, CancellationToken.None);

        Assert.False(grandchild.IsRunning());
        Assert.False(process.GroupExists);
    }

    [Fact]
    public async Task Adopt_ProcessDies_WaitForExitCompletesWithUnknownCode()
    {
        using var scope = new ProcessTestScope();
        using var child = scope.Track(_launcher.Launch(new ProcessLaunchSpec("sleep", ["30"], new Dictionary<string, string>(), null, scope.PathOf("sleep.log"))));
        using var adopted = _launcher.Adopt(child.Identity);
        var exit = adopted.WaitForExitAsync(CancellationToken.None);
        Assert.False(exit.IsCompleted);
        Assert.True(adopted.GroupExists);

        Assert.True(adopted.SignalGroup(UnixSignal.Kill));

        Assert.Null(await exit.WaitAsync(Patience));
        await ProcessTestScope.WaitUntilAsync(() => !adopted.GroupExists, Patience, "the adopted group is gone");
    }

    [Theory]
    [InlineData("123 (sleep) S 1 123 123 0 -1 4194304 212 0 0 0 0 0 0 0 20 0 1 0 34348 2990080 390", false, 34348UL)]
    [InlineData("77 (my (odd) app) R 1 77 77 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 999 1 1", false, 999UL)]
    [InlineData("9 (gone) Z 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0", false, null)]
    [InlineData("9 (gone) Z 1 9 9 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 555 0 0", true, 555UL)]
    [InlineData("garbage", false, null)]
    public void TryParseStat_StatLine_ReadsStartTimeField22(string stat, bool includeZombies, ulong? expectedStartTime)
    {
        var identity = ProcessIdentity.TryParseStat(1, stat, includeZombies);

        Assert.Equal(expectedStartTime, identity?.StartTime);
    }

    [Fact]
    public void StartedAt_ThisProcess_MatchesTheRuntimesStartTime()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        var identity = ProcessIdentity.TryRead(self.Id)!.Value;

        var startedAt = identity.StartedAt();

        Assert.NotNull(startedAt);
        var difference = (startedAt.Value.UtcDateTime - self.StartTime.ToUniversalTime()).Duration();
        Assert.True(difference < TimeSpan.FromSeconds(1), $"off by {difference}");
    }
}
