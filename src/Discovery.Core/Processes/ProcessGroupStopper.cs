namespace Discovery.Core.Processes;

/// <summary>Stops a process group: SIGTERM, wait up to the stop timeout, then SIGKILL whatever is left.</summary>
public static class ProcessGroupStopper
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);

    // After SIGKILL the kernel needs only moments; this bound keeps a stuck (D-state) process from
    // hanging the agent forever.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(5);

    /// <summary>True when the group ended on SIGTERM, false when it had to be killed (or was already gone: true).</summary>
    public static async Task<bool> StopAsync(IProcessHandle process, TimeSpan stopTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (!process.GroupExists)
        {
            return true;
        }

        process.SignalGroup(UnixSignal.Terminate);
        if (await WaitForGroupExitAsync(process, stopTimeout, timeProvider, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        process.SignalGroup(UnixSignal.Kill);
        await WaitForGroupExitAsync(process, KillGrace, timeProvider, cancellationToken).ConfigureAwait(false);
        return false;
    }

    private static async Task<bool> WaitForGroupExitAsync(IProcessHandle process, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetTimestamp() + (long)(timeout.TotalSeconds * timeProvider.TimestampFrequency);
        while (process.GroupExists)
        {
            if (timeProvider.GetTimestamp() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
