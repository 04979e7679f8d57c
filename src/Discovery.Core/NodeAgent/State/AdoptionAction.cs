namespace Discovery.Core.NodeAgent.State;

public enum AdoptionAction
{
    /// <summary>Our process, alive and serving: supervise it again.</summary>
    Adopt,
    /// <summary>Ours but unwanted or broken (or its leader died and left children): stop its group, drop the record.</summary>
    KillGroup,
    /// <summary>Nothing of ours is left (or the pid now belongs to someone else): drop the record, signal nothing.</summary>
    Forget,
}
