using Discovery.Cli.Tests.Commands;
using Discovery.Core.Lab;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.Processes;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.LocalLab;

/// <summary>
/// What the lab tests need to prove "nothing left" and to clean up after a failed test: every
/// process the lab's state files name is remembered as it appears (pid + start time, so a reused
/// pid is never killed), and the cleanup runs `lab down` and kills only what it remembered.
/// </summary>
internal static class LabProcesses
{
    /// <summary>Adds every process the lab's state files name now (lab processes and app instances) to <paramref name="seen"/>.</summary>
    public static void Remember(string labDirectory, ISet<ProcessIdentity> seen)
    {
        foreach (var record in LabState.TryLoad(Path.Combine(labDirectory, "state.json"))?.Processes ?? [])
        {
            seen.Add(new ProcessIdentity(record.Pid, record.StartTime));
        }

        var nodes = Path.Combine(labDirectory, "nodes");
        if (Directory.Exists(nodes))
        {
            foreach (var record in Directory.EnumerateFiles(nodes, "instances.json", SearchOption.AllDirectories).SelectMany(InstanceStateFile.Load))
            {
                seen.Add(new ProcessIdentity(record.Pid, record.StartTime));
            }
        }
    }

    /// <summary>SIGKILL, only if the pid still is the process we saw (pid + start time).</summary>
    public static void Kill(ProcessIdentity process)
    {
        if (process.IsRunning())
        {
            ProcessGroup.SignalProcess(process.Pid, UnixSignal.Kill);
        }
    }

    /// <summary>
    /// For a test's finally: `lab down` unless the test already ran it, then SIGKILL for any
    /// remembered process still running, then the lab folder goes.
    /// </summary>
    public static async Task CleanUpAsync(IReadOnlyDictionary<string, string?> environment, string labDirectory, ISet<ProcessIdentity> seen, bool downDone,
        ITestOutputHelper output)
    {
        if (!downDone)
        {
            Remember(labDirectory, seen);
            var (exit, down, error) = await AgentProcess.RunAsync(environment, TimeSpan.FromSeconds(90), "lab", "down", "--lab-dir", labDirectory);
            output.WriteLine($"cleanup lab down: exit {exit}\n{down}\n{error}");
        }

        foreach (var identity in seen.Where(identity => identity.IsRunning()))
        {
            output.WriteLine($"cleanup: pid {identity.Pid} still running, killing it");
            Kill(identity);
        }

        if (Directory.Exists(labDirectory))
        {
            Directory.Delete(labDirectory, recursive: true);
        }
    }
}
