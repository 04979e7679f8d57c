using Discovery.Core.NodeAgent.State;
using Discovery.Core.Processes;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>
/// The lab's last line of defence against orphans: after the node agents are stopped, any app
/// instance still listed in a node's instances.json and still alive (same pid AND start time)
/// is stopped by process group. Normally there is none — a node agent drains and stops its
/// instances on SIGTERM — but a node agent killed mid-drain must not leave an app behind.
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
            .ToList();
        await Task.WhenAll(leftovers.Select(async record =>
        {
            using var handle = launcher.Adopt(new ProcessIdentity(record.Pid, record.StartTime));
            await ProcessGroupStopper.StopAsync(handle, StopTimeout, time, cancellationToken).ConfigureAwait(false);
            LabLog.LeftoverStopped(logger, record.InstanceId, record.Pid);
        })).ConfigureAwait(false);
        return leftovers.Count;
    }
}
