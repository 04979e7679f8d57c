namespace Discovery.Core.NodeAgent.Supervision;

public enum InstanceState
{
    Starting,
    Running,
    BackingOff,
    /// <summary>Backing off after too many exits in the restart window; retries continue at max backoff.</summary>
    CrashLooping,
    Stopping,
    Stopped,
}
