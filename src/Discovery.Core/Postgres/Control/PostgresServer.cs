using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Processes;

namespace Discovery.Core.Postgres.Control;

/// <summary>
/// The postmaster of one member. Launched through the node agent's <see cref="IProcessLauncher"/>
/// (its own session and process group, log appended by the child itself) as
/// <c>setsid sh -c 'exec setpriv … postgres -D …'</c>: every step execs in place, so the pid we
/// hold is the postmaster's and its group holds every backend — the launcher's group supervision
/// applies unchanged. Stopping sends SIGINT (Postgres' fast shutdown: clients are disconnected, a
/// shutdown checkpoint is written and streamed to the replicas) rather than the launcher's SIGTERM,
/// which Postgres treats as "smart" shutdown and would wait for every pooled client connection.
/// </summary>
internal sealed class PostgresServer(PostgresConfig config, PostgresTools tools, IProcessLauncher launcher, string logPath, TimeProvider time)
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    public IProcessHandle? Process { get; private set; }

    public void Launch()
    {
        var (command, prefix) = tools.AsPostgresUser("postgres");
        Process = launcher.Launch(new ProcessLaunchSpec(command, [.. prefix, "-D", config.DataDir], new Dictionary<string, string> { ["LC_ALL"] = "C.UTF-8" }, "/", logPath));
    }

    /// <summary>
    /// Takes over a postmaster a previous agent run started for this data directory (postmaster.pid
    /// names it). Refuses one that is not the leader of its own process group: the agent did not start it.
    /// </summary>
    public PostmasterAdoption TryAdopt()
    {
        switch (PostmasterPidFile.FindRunning(config.DataDir))
        {
            case null:
                return PostmasterAdoption.NothingRunning;
            case { LeadsGroup: false }:
                return PostmasterAdoption.NotOurs;
            case { Identity: var identity }:
                Process = launcher.Adopt(identity);
                return PostmasterAdoption.Adopted;
        }
    }

    /// <summary>Fast shutdown, then SIGKILL of the whole group after the stop timeout; true when it ended on its own.</summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        if (Process is not { } process)
        {
            return true;
        }

        var clean = true;
        if (process.GroupExists)
        {
            ProcessGroup.SignalProcess(process.Identity.Pid, UnixSignal.Interrupt);
            clean = await WaitForGroupExitAsync(process, config.StopTimeout, cancellationToken).ConfigureAwait(false);
            if (!clean)
            {
                process.SignalGroup(UnixSignal.Kill);
                await WaitForGroupExitAsync(process, KillWait, cancellationToken).ConfigureAwait(false);
            }
        }

        Forget();
        return clean;
    }

    /// <summary>After the postmaster died: ends its orphaned backends (they would keep the old shared memory) and forgets it.</summary>
    public async Task ReapAsync(CancellationToken cancellationToken)
    {
        if (Process is { } process && process.GroupExists)
        {
            process.SignalGroup(UnixSignal.Kill);
            await WaitForGroupExitAsync(process, KillWait, cancellationToken).ConfigureAwait(false);
        }

        Forget();
    }

    private void Forget()
    {
        Process?.Dispose();
        Process = null;
    }

    private async Task<bool> WaitForGroupExitAsync(IProcessHandle process, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (process.GroupExists)
        {
            if (time.GetElapsedTime(started) >= timeout)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
