namespace Discovery.Core.NodeAgent.State;

/// <summary>The pure adopt-or-clean-up rule for records a previous agent run left.</summary>
public static class AdoptionPlanner
{
    public static AdoptionDecision Decide(ProcessObservation observed)
    {
        if (observed.LeaderRunning)
        {
            if (!observed.AppConfigured)
            {
                return new(AdoptionAction.KillGroup, "its app is no longer configured");
            }

            if (!observed.PortListening)
            {
                return new(AdoptionAction.KillGroup, "alive but not listening on its port");
            }

            return observed.Healthy == false
                ? new(AdoptionAction.KillGroup, "alive but its health check failed")
                : new(AdoptionAction.Adopt, "alive and listening");
        }

        if (observed.GroupExists)
        {
            return new(AdoptionAction.KillGroup, "its main process exited but left processes in its group");
        }

        return observed.PidReused
            ? new(AdoptionAction.Forget, "exited; its pid now belongs to an unrelated process, which is left alone")
            : new(AdoptionAction.Forget, "exited");
    }
}
