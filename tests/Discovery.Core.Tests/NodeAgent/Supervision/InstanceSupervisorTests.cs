using System.Collections.Concurrent;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.NodeAgent.Supervision;

public sealed class InstanceSupervisorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly SetsidProcessLauncher _launcher = new(TimeProvider.System, TimeSpan.FromMilliseconds(20));

    private static (InstanceSupervisor Supervisor, ConcurrentQueue<InstanceEvent> Events) Create(ProcessTestScope scope, string script, TimeSpan? stopTimeout = null, SetsidProcessLauncher? launcher = null)
    {
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp(script, stopTimeout: stopTimeout));
        var spec = InstanceSpec.Create(node, node.Apps[0], 19001);
        var supervisor = new InstanceSupervisor(spec, launcher ?? new SetsidProcessLauncher(TimeProvider.System), TimeProvider.System);
        var events = new ConcurrentQueue<InstanceEvent>();
        supervisor.Changed += instanceEvent =>
        {
            events.Enqueue(instanceEvent);
            if (instanceEvent.Process is { } process)
            {
                scope.Track(process);
            }
        };
        return (supervisor, events);
    }

    [Fact]
    public async Task Start_Instance_RunsWithPlaceholdersExpandedAndLogsToItsFile()
    {
        using var scope = new ProcessTestScope();
        var (supervisor, _) = Create(scope, "echo \"port=$1 id=$2 env=$APP_PORT\"; exec sleep 30");
        await using var _1 = supervisor;

        supervisor.Start();

        await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("logs/web-n1-19001.log", "port=19001 id=web-n1-19001 env=19001"), Patience, "the instance logged");
        // The child can log before the launcher has handed its handle back (it waits for setsid), so Running may follow the log line.
        await ProcessTestScope.WaitUntilAsync(() => supervisor.Status.State == InstanceState.Running, Patience, "the supervisor reports it running");
        Assert.Equal(InstanceState.Running, supervisor.Status.State);
        Assert.True(supervisor.Status.Process!.Value.IsRunning());
    }

    [Fact]
    public async Task Supervisor_InstanceKilledWithSigkill_RestartsWithNewPid()
    {
        using var scope = new ProcessTestScope();
        var (supervisor, events) = Create(scope, "exec sleep 30");
        await using var _1 = supervisor;
        supervisor.Start();
        await ProcessTestScope.WaitUntilAsync(() => supervisor.Status.State == InstanceState.Running, Patience, "the instance runs");
        var first = supervisor.Status.Process!.Value;

        ProcessGroup.Signal(first.Pid, UnixSignal.Kill);

        await ProcessTestScope.WaitUntilAsync(() => supervisor.Status is { State: InstanceState.Running, Process: { } p } && p != first, Patience, "a new process runs");
        Assert.Contains(events, e => e.Kind == InstanceEventKind.Exited && e.ExitCode == 137);
        Assert.Contains(events, e => e.Kind == InstanceEventKind.BackingOff && e.Until is not null);
        Assert.NotEqual(first.Pid, supervisor.Status.Process!.Value.Pid);
        Assert.False(first.IsRunning());
    }

    [Fact]
    public async Task Supervisor_CommandExitsAtOnce_CrashLoopsWithReasonAndKeepsRetrying()
    {
        using var scope = new ProcessTestScope();
        var (supervisor, events) = Create(scope, "echo \"cannot bind port $1\"; exit 3");
        await using var _1 = supervisor;

        supervisor.Start();

        await ProcessTestScope.WaitUntilAsync(() => events.Any(e => e.Kind == InstanceEventKind.CrashLooping), Patience, "a crash loop is detected");
        var crashLoop = events.Single(e => e.Kind == InstanceEventKind.CrashLooping);
        Assert.Matches(@"^exited 4 times in [0-9.]+m?s; last exit code 3; last log line: cannot bind port 19001$", crashLoop.Reason);
        Assert.Equal(crashLoop.Reason, supervisor.Status.CrashLoopReason);
        var exitsAtDetection = events.Count(e => e.Kind == InstanceEventKind.Exited);
        await ProcessTestScope.WaitUntilAsync(() => events.Count(e => e.Kind == InstanceEventKind.Exited) > exitsAtDetection, Patience, "it keeps retrying");
        Assert.Equal(4, exitsAtDetection);
    }

    [Fact]
    public async Task StopAsync_ChildTrapsTerm_GroupGetsSigtermAndStopped()
    {
        using var scope = new ProcessTestScope();
        var marker = scope.PathOf("terminated");
        var (supervisor, events) = Create(scope, $"trap 'echo term >> {marker}; exit 0' TERM; echo ready; while true; do sleep 0.05; done");
        await using var _1 = supervisor;
        supervisor.Start();
        await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("logs/web-n1-19001.log", "ready"), Patience, "the instance traps TERM");
        var process = supervisor.Status.Process!.Value;

        await supervisor.StopAsync(CancellationToken.None);

        Assert.Equal("term\n", File.ReadAllText(marker));
        Assert.Equal(InstanceState.Stopped, supervisor.Status.State);
        Assert.False(ProcessGroup.Exists(process.Pid));
        Assert.Equal(
            [InstanceEventKind.Starting, InstanceEventKind.Running, InstanceEventKind.Stopping, InstanceEventKind.Stopped],
            events.Select(e => e.Kind));
    }

    [Fact]
    public async Task StopAsync_ChildIgnoresTermWithGrandchild_WholeGroupKilledAfterStopTimeout()
    {
        using var scope = new ProcessTestScope();
        var (supervisor, _) = Create(scope, "trap '' TERM; sleep 30 & echo ready; while true; do sleep 0.05; done", stopTimeout: TimeSpan.FromMilliseconds(300));
        await using var _1 = supervisor;
        supervisor.Start();
        await ProcessTestScope.WaitUntilAsync(() => scope.FileContains("logs/web-n1-19001.log", "ready"), Patience, "the instance ignores TERM");
        var process = supervisor.Status.Process!.Value;
        var started = DateTime.UtcNow;

        await supervisor.StopAsync(CancellationToken.None);

        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(300));
        Assert.False(ProcessGroup.Exists(process.Pid));
        Assert.Equal(InstanceState.Stopped, supervisor.Status.State);
    }

    [Fact]
    public async Task Supervisor_AdoptedProcessDies_IsRestarted()
    {
        using var scope = new ProcessTestScope();
        var orphan = scope.Track(_launcher.Launch(new ProcessLaunchSpec("sleep", ["30"], new Dictionary<string, string>(), null, scope.PathOf("orphan.log"))));
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp("exec sleep 30"));
        var launcher = new SetsidProcessLauncher(TimeProvider.System, TimeSpan.FromMilliseconds(20));
        await using var supervisor = new InstanceSupervisor(InstanceSpec.Create(node, node.Apps[0], 19001), launcher, TimeProvider.System, adopted: launcher.Adopt(orphan.Identity));
        supervisor.Changed += e => { if (e.Process is { } p) { scope.Track(p); } };
        supervisor.Start();
        await ProcessTestScope.WaitUntilAsync(() => supervisor.Status.State == InstanceState.Running, Patience, "the adopted process is supervised");
        Assert.Equal(orphan.Identity, supervisor.Status.Process);

        ProcessGroup.Signal(orphan.Identity.Pid, UnixSignal.Kill);

        await ProcessTestScope.WaitUntilAsync(() => supervisor.Status is { State: InstanceState.Running, Process: { } p } && p != orphan.Identity, Patience, "a new process replaces the adopted one");
        Assert.Null(supervisor.Status.LastExitCode);
    }
}
