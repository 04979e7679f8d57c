using Microsoft.Extensions.Logging;

namespace Discovery.Core.Lab;

/// <summary>A lab that `lab up` brought to healthy: where things are, and how to take it all down again.</summary>
internal sealed class RunningLab(LabTopology topology, LabConfigFiles files, LabProcesses processes, ILogger logger)
{
    public LabTopology Topology => topology;

    public LabConfigFiles Files => files;

    public IReadOnlyList<LabProcessRecord> Processes => processes.Records;

    public string OperatorTokenFile => files.TokenFile("operator");

    /// <summary>Leaves everything running; `agent lab down` stops it later from state.json.</summary>
    public void Detach() => processes.MarkDetached();

    /// <summary>
    /// Stops every process (newest first) and removes the lab folder; with <paramref name="keepLogs"/>
    /// (a failed `lab up`) only logs/ stays, so the failure can be read. Not cancellable: a half
    /// teardown is worse than a slow one.
    /// </summary>
    public async Task StopAsync(bool keepLogs = false)
    {
        await processes.StopAllAsync(CancellationToken.None).ConfigureAwait(false);
        await LabInstanceSweeper.StopLeftoversAsync(files.StateDirectory, TimeProvider.System, logger, CancellationToken.None).ConfigureAwait(false);
        if (!keepLogs)
        {
            LabOrchestrator.RemoveStateDirectory(files.StateDirectory, logger);
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(files.StateDirectory).Where(entry => entry != files.LogDirectory))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }
}
