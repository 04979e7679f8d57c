using Discovery.Core.Scaling.Service;

namespace Discovery.Core.Tests.Scaling.Service;

public sealed class AppScalerOptionsTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(5, 32)]
    [InlineData(6, 60)]
    [InlineData(1000, 60)]
    [InlineData(int.MaxValue, 60)]
    public void ContendBackoff_FailedTermsInARow_DoublesUpToTheCap(int failures, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), AppScalerOptions.Default.ContendBackoff(failures));
}
