using Discovery.WebApp.Settings;

namespace Discovery.WebApp.Tests.Settings;

public sealed class FailureModeTests
{
    [Theory]
    [InlineData("none", false, 0)]
    [InlineData("health", true, 0)]
    [InlineData("errors:25", false, 25)]
    [InlineData("errors:100", false, 100)]
    public void Parse_Valid_Mode(string text, bool failHealth, int percent)
    {
        Assert.Equal(new FailureMode(failHealth, percent), FailureMode.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("errors:")]
    [InlineData("errors:101")]
    [InlineData("errors:-1")]
    [InlineData("Health")]
    public void Parse_Invalid_Null(string text)
    {
        Assert.Null(FailureMode.Parse(text));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(25, 25)]
    [InlineData(50, 50)]
    [InlineData(100, 100)]
    public void FailsRequest_Percent_ExactlyThatShareOfEveryHundred(int percent, int failed)
    {
        var mode = new FailureMode(false, percent);

        Assert.Equal(failed, Enumerable.Range(1, 100).Count(sequence => mode.FailsRequest(sequence)));
    }
}
