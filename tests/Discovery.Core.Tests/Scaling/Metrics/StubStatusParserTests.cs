using Discovery.Core.Scaling.Metrics;

namespace Discovery.Core.Tests.Scaling.Metrics;

public sealed class StubStatusParserTests
{
    // Byte-for-byte what nginx's ngx_http_stub_status_module prints, trailing spaces included.
    private const string FreshNginx =
        "Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n";

    private const string BusyNginx =
        "Active connections: 291 \nserver accepts handled requests\n 16630948 16630948 31070465 \nReading: 6 Writing: 179 Waiting: 106 \n";

    public static TheoryData<string, long, long, long, long, long, long, long> ValidPages => new()
    {
        { FreshNginx, 1, 1, 1, 1, 0, 1, 0 },
        { BusyNginx, 291, 16630948, 16630948, 31070465, 6, 179, 106 },
        { BusyNginx.Replace("\n", "\r\n", StringComparison.Ordinal), 291, 16630948, 16630948, 31070465, 6, 179, 106 },
        { "Active connections: 0\nserver accepts handled requests\n0 0 0\nReading: 0 Writing: 0 Waiting: 0", 0, 0, 0, 0, 0, 0, 0 },
        { "\nActive connections: 3 \nserver accepts handled requests\n  10   9   25 \nReading: 1  Writing: 1  Waiting: 1 \n\n", 3, 10, 9, 25, 1, 1, 1 },
        { "Active connections: 1 \nserver accepts handled requests\n 1 1 9223372036854775807 \nReading: 0 Writing: 1 Waiting: 0 \n", 1, 1, 1, long.MaxValue, 0, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(ValidPages))]
    public void TryParse_RealStubStatusPage_ReturnsEveryField(
        string text, long active, long accepts, long handled, long requests, long reading, long writing, long waiting)
    {
        Assert.True(StubStatusParser.TryParse(text, out var status, out var error), error);
        Assert.Equal(new StubStatus(active, accepts, handled, requests, reading, writing, waiting), status);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   \n ", "empty")]
    [InlineData("<html><body><h1>502 Bad Gateway</h1></body></html>", "expected 4 lines")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 1 \n", "expected 4 lines")]
    [InlineData("Active connections: x \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 1")]
    [InlineData("Active connection: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 1")]
    [InlineData("Active connections: 1 \nserver accepts handled\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 2")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 3: expected 3 counters")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 3: expected 3 counters")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 -1 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 3")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 1.5 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 3")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 99999999999999999999 \nReading: 0 Writing: 1 Waiting: 0 \n", "line 3")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Waiting: 0 Writing: 1 \n", "line 4")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 \n", "line 4")]
    [InlineData("Active connections: 1 \nserver accepts handled requests\n 1 1 1 \nReading: 0 Writing: 1 Waiting: 0 extra\n", "line 4: unexpected trailing")]
    public void TryParse_MalformedPage_FailsWithReason(string text, string expectedInError)
    {
        Assert.False(StubStatusParser.TryParse(text, out var status, out var error));
        Assert.Null(status);
        Assert.Contains(expectedInError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedPage_ThrowsFormatExceptionNotZeros()
    {
        var e = Assert.Throws<FormatException>(() => StubStatusParser.Parse("not a status page"));
        Assert.Contains("stub_status", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_HugeGarbage_QuotesOnlyAShortPrefix()
    {
        var garbage = "Active connections: " + new string('x', 5000) + "\nb\nc\nd";
        Assert.False(StubStatusParser.TryParse(garbage, out _, out var error));
        Assert.True(error.Length < 300, error);
    }
}
