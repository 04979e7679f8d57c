using Discovery.Consul.Locking;

namespace Discovery.Consul.Tests.Locking;

public sealed class LeadershipLoopTests
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
    public void Backoff_FailedTermsInARow_DoublesUpToTheCap(int failures, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), LeadershipLoop.Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60), failures));

    [Fact]
    public void Backoff_CapBelowFirstDelay_NeverShorterThanTheFirst() =>
        Assert.Equal(TimeSpan.FromSeconds(5), LeadershipLoop.Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 3));
}
