namespace Discovery.WebApp.Lifecycle;

/// <summary>When this process started (taken first thing in Main), for the uptime the identity reports.</summary>
internal sealed class ProcessStart(TimeProvider timeProvider)
{
    private readonly long _startedTimestamp = timeProvider.GetTimestamp();

    public TimeSpan Uptime => timeProvider.GetElapsedTime(_startedTimestamp);
}
