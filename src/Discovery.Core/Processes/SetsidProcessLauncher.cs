using System.Diagnostics;

namespace Discovery.Core.Processes;

/// <summary>
/// Starts instances as <c>setsid /bin/sh -c 'exec "$0" "$@" &gt;&gt;log 2&gt;&amp;1 &lt;/dev/null' command args…</c>.
/// Why this shape rather than posix_spawn through P/Invoke:
/// * The child writes its own log with O_APPEND, never through a pipe to the agent, so an agent
///   crash neither kills nor blocks the instance, and the next agent run can adopt it.
/// * setsid makes the app a session and process group leader, so one kill(-pgid) reaches it and
///   everything it forks. setsid(1) calls setsid(2) and execs in place when its caller is not a
///   group leader (a freshly forked child never is), and sh execs the command, so the pid that
///   Process.Start returns is the app's own pid and pgid == pid (asserted by the tests).
/// * Process.Start keeps the runtime's SIGCHLD reaping and exit codes for our own children, which a
///   hand-rolled posix_spawn would have to re-implement.
/// Not CliWrap, which runs one-shot commands (nginx -t, consul validate …) to completion: it pipes
/// the child's output through this process and kills the child when its call is cancelled, while a
/// supervised instance must outlive the agent, log to its own file, and be adoptable by pid.
/// </summary>
public sealed class SetsidProcessLauncher : IProcessLauncher
{
    private const string Setsid = "/usr/bin/setsid";
    private const string Shell = "/bin/sh";

    // The log path travels in an environment variable so no quoting is needed; sh reads it into an
    // unexported variable and removes it, so the app never sees it.
    private const string LogVariable = "DISCOVERY_LOG";
    private const string Script = "log=$" + LogVariable + "; unset " + LogVariable + "; exec \"$0\" \"$@\" >>\"$log\" 2>&1 </dev/null";

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _adoptedPollInterval;

    public SetsidProcessLauncher(TimeProvider timeProvider, TimeSpan? adoptedPollInterval = null)
    {
        _timeProvider = timeProvider;
        _adoptedPollInterval = adoptedPollInterval ?? TimeSpan.FromMilliseconds(250);
    }

    public IProcessHandle Launch(ProcessLaunchSpec spec)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(spec.LogPath))!);
        PrivateFiles.EnsureLog(spec.LogPath);
        var startInfo = new ProcessStartInfo(Setsid)
        {
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        startInfo.ArgumentList.Add(Shell);
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(Script);
        startInfo.ArgumentList.Add(spec.Command);
        foreach (var argument in spec.Args)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (!spec.InheritEnvironment)
        {
            startInfo.Environment.Clear();
        }

        foreach (var (name, value) in spec.Environment)
        {
            startInfo.Environment[name] = value;
        }

        startInfo.Environment[LogVariable] = Path.GetFullPath(spec.LogPath);

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {spec.Command}");
        WaitUntilGroupLeader(process);
        // The start time is fixed at fork, so reading it now (even before setsid has exec'd) is stable.
        var identity = ProcessIdentity.TryRead(process.Id, includeZombies: true) ?? new ProcessIdentity(process.Id, 0);
        return new ChildProcessHandle(process, identity);
    }

    /// <summary>
    /// setsid() runs in the child after fork, a moment after Process.Start returns. Wait (a few ms,
    /// bounded) until it has, so the process group exists from the moment a handle is handed out:
    /// a stop or an adoption right after launch then signals the whole group, never a group that
    /// is not there yet.
    /// </summary>
    private static void WaitUntilGroupLeader(Process process)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(2) && !process.HasExited && ProcessIdentity.TryReadProcessGroup(process.Id) != process.Id)
        {
            Thread.Sleep(1);
        }
    }

    public IProcessHandle Adopt(ProcessIdentity identity) => new AdoptedProcessHandle(identity, _timeProvider, _adoptedPollInterval);
}
