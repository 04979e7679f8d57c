using Discovery.Consul.Durations;
using Discovery.Agent.NodeAgent.Configuration;

namespace Discovery.Agent.Tests.NodeAgent.Configuration;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("0.5s", 500)]
    public void TryParse_GoSyntax_Parses(string text, double expectedMilliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(expectedMilliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10 s")]
    [InlineData("-1s")]
    [InlineData("1d")]
    [InlineData("s")]
    [InlineData("1..5s")]
    public void TryParse_NotGoSyntax_Fails(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(30_000, "30s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(3_601_500, "1h0m1.5s")]
    public void Format_Duration_IsGoStyle(double milliseconds, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
