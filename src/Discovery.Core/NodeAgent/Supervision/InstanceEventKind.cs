namespace Discovery.Core.NodeAgent.Supervision;

public enum InstanceEventKind
{
    Starting,
    Running,
    Exited,
    BackingOff,
    CrashLooping,
    Stopping,
    Stopped,
}
