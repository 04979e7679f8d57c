using System.Net;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.NodeAgent.State;

public sealed class InstanceRecoveryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    // A real listener without depending on the sample app: Python's HTTP server on the instance's port.
    private const string ListenerScript = "exec /usr/bin/python3 -m http.server \"$1\" --bind 127.0.0.1";

    private readonly SetsidProcessLauncher _launcher = new(TimeProvider.System, TimeSpan.FromMilliseconds(20));

    private static InstanceSupervisor Supervise(ProcessTestScope scope, InstanceStateStore store, InstanceSpec spec, IProcessLauncher launcher, IProcessHandle? adopted = null)
    {
        var supervisor = new InstanceSupervisor(spec, launcher, TimeProvider.System, adopted: adopted);
        supervisor.Changed += e => { if (e.Process is { } p) { scope.Track(p); } };
        store.Track(supervisor);
        supervisor.Start();
        return supervisor;
    }

    [Fact]
    public async Task RecoverAsync_LiveListeningInstanceFromPreviousRun_IsAdoptedBySamePid()
    {
        using var scope = new ProcessTestScope();
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp(ListenerScript, ports: new PortRange(19200, 19299)));
        var port = PortAllocator.FindFreePort(IPAddress.Loopback, node.Apps[0].Ports, new HashSet<int>())!.Value;
        var spec = InstanceSpec.Create(node, node.Apps[0], port);

        // First agent run: start the instance, then "crash" (let go without stopping it).
        var firstStore = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        var first = Supervise(scope, firstStore, spec, _launcher);
        await ProcessTestScope.WaitUntilAsync(() => first.Status.State == InstanceState.Running && !PortAllocator.CanBind(IPAddress.Loopback, port), Patience, "the instance listens");
        var original = first.Status.Process!.Value;
        await first.AbandonAsync(CancellationToken.None);

        // Second agent run: a fresh store from the file, recovery, a new supervisor.
        var store = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        var adopted = await new InstanceRecovery(node, _launcher, store, TimeProvider.System).RecoverAsync(CancellationToken.None);

        var instance = Assert.Single(adopted);
        Assert.Equal(spec, instance.Spec);
        Assert.Equal(original, instance.Process.Identity);
        await using var second = Supervise(scope, store, instance.Spec, _launcher, instance.Process);
        await ProcessTestScope.WaitUntilAsync(() => second.Status.State == InstanceState.Running, Patience, "the adopted instance is supervised");
        Assert.Equal(original, second.Status.Process);
        Assert.True(original.IsRunning());

        await second.StopAsync(CancellationToken.None);

        Assert.False(ProcessGroup.Exists(original.Pid));
        Assert.Empty(InstanceStateFile.Load(node.StateFilePath));
    }

    [Fact]
    public async Task RecoverAsync_LogPathOutsideLogFolder_IgnoredAndTheFileLeftUntouched()
    {
        using var scope = new ProcessTestScope();
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp(ListenerScript, ports: new PortRange(19300, 19399)));
        var port = PortAllocator.FindFreePort(IPAddress.Loopback, node.Apps[0].Ports, new HashSet<int>())!.Value;
        var spec = InstanceSpec.Create(node, node.Apps[0], port);
        var victim = scope.PathOf("not-a-log.conf");
        File.WriteAllText(victim, "precious\n");

        var firstStore = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        var first = Supervise(scope, firstStore, spec, _launcher);
        await ProcessTestScope.WaitUntilAsync(() => first.Status.State == InstanceState.Running && !PortAllocator.CanBind(IPAddress.Loopback, port), Patience, "the instance listens");
        await first.AbandonAsync(CancellationToken.None);
        Assert.Equal(PrivateFiles.LogMode, new FileInfo(spec.LogPath).UnixFileMode);

        // Someone who can write the state file points the log at a file the agent must not touch.
        var record = Assert.Single(InstanceStateFile.Load(node.StateFilePath));
        InstanceStateFile.Save(node.StateFilePath, [record with { LogPath = victim }]);
        var logs = new CapturingLoggerFactory();
        var store = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        var adopted = await new InstanceRecovery(node, _launcher, store, TimeProvider.System, new Microsoft.Extensions.Logging.Logger<InstanceRecovery>(logs)).RecoverAsync(CancellationToken.None);

        var instance = Assert.Single(adopted);
        Assert.Equal(spec.LogPath, instance.Spec.LogPath);
        Assert.True(logs.Contains(Microsoft.Extensions.Logging.LogLevel.Warning, "ignoring log path " + victim), "the ignored path was not logged");
        await using var second = Supervise(scope, store, instance.Spec, _launcher, instance.Process);
        await second.StopAsync(CancellationToken.None);
        Assert.Equal("precious\n", File.ReadAllText(victim));
    }

    [Fact]
    public async Task RecoverAsync_DeadPid_IsForgotten()
    {
        using var scope = new ProcessTestScope();
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp(ListenerScript));
        var exited = _launcher.Launch(new ProcessLaunchSpec("true", [], new Dictionary<string, string>(), null, scope.PathOf("x.log")));
        await exited.WaitForExitAsync(CancellationToken.None);
        var store = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        store.Upsert(new InstanceRecord("web", "web-n1-19001", 19001, exited.Identity.Pid, exited.Identity.StartTime, scope.PathOf("x.log"), DateTimeOffset.UtcNow));

        var adopted = await new InstanceRecovery(node, _launcher, store, TimeProvider.System).RecoverAsync(CancellationToken.None);

        Assert.Empty(adopted);
        Assert.Empty(InstanceStateFile.Load(node.StateFilePath));
    }

    [Fact]
    public async Task RecoverAsync_RecycledPid_IsForgottenAndTheOtherProcessLeftAlone()
    {
        using var scope = new ProcessTestScope();
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp(ListenerScript));
        using var unrelated = scope.Track(_launcher.Launch(new ProcessLaunchSpec("sleep", ["30"], new Dictionary<string, string>(), null, scope.PathOf("sleep.log"))));
        var store = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        // Same pid, different start time: what a recycled pid looks like.
        store.Upsert(new InstanceRecord("web", "web-n1-19001", 19001, unrelated.Identity.Pid, unrelated.Identity.StartTime - 1, scope.PathOf("x.log"), DateTimeOffset.UtcNow));

        var adopted = await new InstanceRecovery(node, _launcher, store, TimeProvider.System).RecoverAsync(CancellationToken.None);

        Assert.Empty(adopted);
        Assert.Empty(store.Records);
        Assert.True(unrelated.Identity.IsRunning());
    }

    [Fact]
    public async Task RecoverAsync_LiveButNotListening_GroupIsStoppedAndForgotten()
    {
        using var scope = new ProcessTestScope();
        var node = TestConfigs.Node(scope.Directory, TestConfigs.ShellApp(ListenerScript, stopTimeout: TimeSpan.FromMilliseconds(300)));
        using var stray = scope.Track(_launcher.Launch(new ProcessLaunchSpec("/bin/sh", ["-c", "sleep 30 & wait"], new Dictionary<string, string>(), null, scope.PathOf("stray.log"))));
        var port = PortAllocator.FindFreePort(IPAddress.Loopback, node.Apps[0].Ports, new HashSet<int>())!.Value;
        var store = InstanceStateStore.Open(node.StateFilePath, TimeProvider.System);
        store.Upsert(new InstanceRecord("web", $"web-n1-{port}", port, stray.Identity.Pid, stray.Identity.StartTime, scope.PathOf("stray.log"), DateTimeOffset.UtcNow));

        var adopted = await new InstanceRecovery(node, _launcher, store, TimeProvider.System).RecoverAsync(CancellationToken.None);

        Assert.Empty(adopted);
        Assert.Empty(store.Records);
        Assert.False(ProcessGroup.Exists(stray.Identity.Pid));
    }
}
