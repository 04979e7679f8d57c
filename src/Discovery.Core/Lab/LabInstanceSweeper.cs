using Discovery.Core.NodeAgent.State;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>
/// The lab's last line of defence against orphans: after the node agents are stopped, any app
/// instance still listed in a node's instances.json and still alive (same pid AND start time)
/// is stopped by process group, and so is any postmaster a node's Postgres data directory still
/// names in its postmaster.pid. Normally there is none — a node agent drains and stops its
/// instances and its postgres on SIGTERM — but a node agent killed mid-drain, or with kill -9,
/// must not leave an app or a database behind.
/// </summary>
internal static class LabInstanceSweeper
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static async Task<int> StopLeftoversAsync(string stateDirectory, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var nodes = Path.Combine(stateDirectory, "nodes");
        if (!Directory.Exists(nodes))
        {
            return 0;
        }

        var launcher = new SetsidProcessLauncher(time);
        var leftovers = Directory.EnumerateFiles(nodes, "instances.json", SearchOption.AllDirectories)
            .SelectMany(InstanceStateFile.Load)
            .Where(record => new ProcessIdentity(record.Pid, record.StartTime).IsRunning())
            .Select(record => (Name: "instance " + record.InstanceId, Identity: new ProcessIdentity(record.Pid, record.StartTime)))
            .ToList();
        // Only a postmaster leading its own group is the node agent's (it starts postgres through
        // setsid); its group holds every backend.
        leftovers.AddRange(Directory.EnumerateDirectories(nodes)
            .Select(node => (Node: Path.GetFileName(node), Postmaster: PostmasterPidFile.FindRunning(LabPostgres.DataDirectory(stateDirectory, Path.GetFileName(node)))))
            .Where(found => found.Postmaster is { LeadsGroup: true })
            .Select(found => ($"postgres of {found.Node}", found.Postmaster!.Value.Identity)));
        await Task.WhenAll(leftovers.Select(async leftover =>
        {
            using var handle = launcher.Adopt(leftover.Identity);
            await ProcessGroupStopper.StopAsync(handle, StopTimeout, time, cancellationToken).ConfigureAwait(false);
            LabLog.LeftoverStopped(logger, leftover.Name, leftover.Identity.Pid);
        })).ConfigureAwait(false);
        return leftovers.Count;
    }
}
