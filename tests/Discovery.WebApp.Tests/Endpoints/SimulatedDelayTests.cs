using Discovery.WebApp.Endpoints;

namespace Discovery.WebApp.Tests.Endpoints;

public sealed class SimulatedDelayTests
{
    [Theory]
    [InlineData(null, 0)]
    [InlineData("0", 0)]
    [InlineData("1", 1)]
    [InlineData("300", 300)]
    [InlineData("60000", 60000)]
    public void TryParse_ValidValue_ReturnsThatDelay(string? value, int expectedMilliseconds)
    {
        Assert.True(SimulatedDelay.TryParse(value, out var delay));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), delay);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("60001")]
    [InlineData("1.5")]
    [InlineData("1e3")]
    [InlineData(" 10")]
    [InlineData("abc")]
    [InlineData("99999999999")]
    public void TryParse_InvalidValue_ReturnsFalse(string value)
    {
        Assert.False(SimulatedDelay.TryParse(value, out _));
    }
}
