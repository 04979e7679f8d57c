using Discovery.WebApp.Lifecycle;

namespace Discovery.WebApp.Tests.Lifecycle;

public sealed class ServingStatusTests
{
    [Fact]
    public void Phase_New_IsStarting()
    {
        Assert.Equal(ServingPhase.Starting, new ServingStatus().Phase);
    }

    [Fact]
    public void TryMarkServing_WhileStarting_Serves()
    {
        var status = new ServingStatus();

        Assert.True(status.TryMarkServing());
        Assert.Equal(ServingPhase.Serving, status.Phase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TryMarkServing_AfterDraining_StaysDraining(bool wasServing)
    {
        var status = new ServingStatus();
        if (wasServing)
        {
            status.TryMarkServing();
        }

        status.MarkDraining();

        Assert.False(status.TryMarkServing());
        Assert.Equal(ServingPhase.Draining, status.Phase);
    }
}
