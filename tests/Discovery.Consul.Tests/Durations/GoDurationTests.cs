using Discovery.Consul.Durations;

namespace Discovery.Consul.Tests.Durations;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("10s", 10_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1h2m3s", 3_723_000)]
    [InlineData("1500us", 1.5)]
    public void Parse_ValidText_ReturnsMilliseconds(string text, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), GoDuration.Parse(text));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10", "missing unit")]
    [InlineData("10x", "unknown unit")]
    [InlineData("s", "invalid")]
    public void TryParse_InvalidText_ExplainsWhy(string text, string reason)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(500, "500ms")]
    [InlineData(1_500, "1.5s")]
    [InlineData(10_000, "10s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(7_200_000, "2h0m0s")]
    [InlineData(0.25, "250µs")]
    public void Format_Duration_MatchesGo(double milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("1m30s")]
    [InlineData("250ms")]
    [InlineData("3h2m1s")]
    public void FormatThenParse_RoundTrips(string text) =>
        Assert.Equal(text, GoDuration.Format(GoDuration.Parse(text)));
}
