using System.Diagnostics;
using System.Globalization;
using Discovery.Bench.Lab;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.Processes;

namespace Discovery.Bench.Churn;

/// <summary>
/// One instance change per call, in a fixed cycle: scale up to 5, kill -9 a running instance,
/// scale down to 2 (the node agents drain the others), scale to 4, kill -9, scale to 3. None waits
/// for the fleet to converge, so changes overlap as they would under real churn.
/// </summary>
internal sealed class ChurnDriver(BenchLab lab)
{
    private static readonly string[] Cycle = ["5", "kill", "2", "4", "kill", "3"];

    private int _step;

    public async Task<string> NextAsync(CancellationToken cancellationToken)
    {
        var action = Cycle[_step++ % Cycle.Length];
        if (action != "kill")
        {
            await lab.SetCountAsync(int.Parse(action, CultureInfo.InvariantCulture), cancellationToken);
            return $"scale web to {action}";
        }

        var victims = RunningInstances().ToList();
        if (victims.Count == 0)
        {
            return "kill -9: no running instance";
        }

        var victim = victims[Random.Shared.Next(victims.Count)];
        try
        {
            // Our own lab's instance, checked by pid and start time just now.
            using var process = Process.GetProcessById(victim.Pid);
            process.Kill();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException)
        {
            return $"kill -9 {victim.InstanceId}: already gone";
        }

        return $"kill -9 {victim.InstanceId} (pid {victim.Pid})";
    }

    /// <summary>Instances the lab's node agents recorded whose process (pid + start time) still runs.</summary>
    private IEnumerable<InstanceRecord> RunningInstances() =>
        Directory.EnumerateFiles(Path.Combine(lab.Directory, "nodes"), "instances.json", SearchOption.AllDirectories)
            .SelectMany(InstanceStateFile.Load)
            .Where(record => new ProcessIdentity(record.Pid, record.StartTime).IsRunning());
}
