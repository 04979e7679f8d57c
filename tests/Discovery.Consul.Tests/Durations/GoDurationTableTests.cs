using Discovery.Consul.Durations;

namespace Discovery.Consul.Tests.Durations;

public sealed class GoDurationTableTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0s", 0L)]
    [InlineData("-0", 0L)]
    [InlineData("30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("+30s", 30 * TimeSpan.TicksPerSecond)]
    [InlineData("-30s", -30 * TimeSpan.TicksPerSecond)]
    [InlineData("1m30s", 90 * TimeSpan.TicksPerSecond)]
    [InlineData("5m", 5 * TimeSpan.TicksPerMinute)]
    [InlineData("1h", TimeSpan.TicksPerHour)]
    [InlineData("1.5h", 90 * TimeSpan.TicksPerMinute)]
    [InlineData("2h45m0.5s", (165 * TimeSpan.TicksPerMinute) + (TimeSpan.TicksPerSecond / 2))]
    [InlineData(".5s", TimeSpan.TicksPerSecond / 2)]
    [InlineData("5.s", 5 * TimeSpan.TicksPerSecond)]
    [InlineData("300ms", 300 * TimeSpan.TicksPerMillisecond)]
    [InlineData("1us", 10L)]
    [InlineData("1µs", 10L)]
    [InlineData("1μs", 10L)]
    [InlineData("100ns", 1L)]
    [InlineData("150ns", 1L)]
    [InlineData("1m1m", 2 * TimeSpan.TicksPerMinute)]
    public void TryParse_GoDuration_ReturnsTicks(string text, long expectedTicks)
    {
        Assert.True(GoDuration.TryParse(text, out var value, out var error), error);
        Assert.Equal(expectedTicks, value.Ticks);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("30", "missing unit")]
    [InlineData("1m30", "missing unit")]
    [InlineData("s", "invalid")]
    [InlineData("-", "invalid")]
    [InlineData(".s", "invalid")]
    [InlineData("1.2.3s", "invalid")]
    [InlineData("30sec", "unknown unit \"sec\"")]
    [InlineData("5d", "unknown unit \"d\"")]
    [InlineData("1 m", "unknown unit \" m\"")]
    [InlineData("1e3s", "unknown unit \"e\"")]
    [InlineData("99999999999999999999h", "too large")]
    public void TryParse_NotAGoDuration_FailsWithReason(string text, string expectedInError)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var error));
        Assert.Contains(expectedInError, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1L, "100ns")]
    [InlineData(15L, "1.5µs")]
    [InlineData(TimeSpan.TicksPerMillisecond, "1ms")]
    [InlineData(300 * TimeSpan.TicksPerMillisecond, "300ms")]
    [InlineData(TimeSpan.TicksPerSecond, "1s")]
    [InlineData(TimeSpan.TicksPerSecond * 3 / 2, "1.5s")]
    [InlineData(30 * TimeSpan.TicksPerSecond, "30s")]
    [InlineData(90 * TimeSpan.TicksPerSecond, "1m30s")]
    [InlineData(5 * TimeSpan.TicksPerMinute, "5m0s")]
    [InlineData(TimeSpan.TicksPerHour, "1h0m0s")]
    [InlineData(TimeSpan.TicksPerHour + TimeSpan.TicksPerSecond + 1, "1h0m1.0000001s")]
    [InlineData(-90 * TimeSpan.TicksPerSecond, "-1m30s")]
    [InlineData(-TimeSpan.TicksPerMillisecond, "-1ms")]
    public void Format_TimeSpan_MatchesGoDurationString(long ticks, string expected)
    {
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromTicks(ticks)));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(123_456_789L)]
    [InlineData(-987_654_321_000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue + 1)]
    public void Parse_FormattedValue_RoundTrips(long ticks)
    {
        var value = TimeSpan.FromTicks(ticks);
        Assert.Equal(value, GoDuration.Parse(GoDuration.Format(value)));
    }
}
