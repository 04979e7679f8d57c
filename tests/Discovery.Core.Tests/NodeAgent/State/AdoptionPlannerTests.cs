using Discovery.Core.NodeAgent.State;

namespace Discovery.Core.Tests.NodeAgent.State;

public sealed class AdoptionPlannerTests
{
    [Theory]
    // leader, pidReused, group, configured, listening, healthy → action
    [InlineData(true, false, false, true, true, null, AdoptionAction.Adopt)]
    [InlineData(true, false, false, true, true, true, AdoptionAction.Adopt)]
    [InlineData(true, false, false, true, true, false, AdoptionAction.KillGroup)]
    [InlineData(true, false, false, true, false, null, AdoptionAction.KillGroup)]
    [InlineData(true, false, false, false, true, null, AdoptionAction.KillGroup)]
    [InlineData(false, false, true, true, false, null, AdoptionAction.KillGroup)]
    [InlineData(false, false, false, true, false, null, AdoptionAction.Forget)]
    [InlineData(false, true, false, true, false, null, AdoptionAction.Forget)]
    [InlineData(false, true, false, false, false, null, AdoptionAction.Forget)]
    public void Decide_Observation_AdoptsOnlyOurLiveListeningProcess(bool leaderRunning, bool pidReused, bool groupExists, bool configured, bool listening, bool? healthy, AdoptionAction expected)
    {
        var decision = AdoptionPlanner.Decide(new ProcessObservation(leaderRunning, pidReused, groupExists, configured, listening, healthy));

        Assert.Equal(expected, decision.Action);
        Assert.False(string.IsNullOrWhiteSpace(decision.Reason));
    }
}
