using Discovery.Core.Observability;

namespace Discovery.Core.Tests.Observability;

public sealed class PrometheusTextParserTests
{
    [Theory]
    [InlineData("up 1", "up", "", 1)]
    [InlineData("discovery_instance_cpu_percent{app=\"web\",node=\"n1\",instance=\"web-n1-9000\"} 12.5", "discovery_instance_cpu_percent", "app=web;instance=web-n1-9000;node=n1", 12.5)]
    [InlineData("m{a=\"x\"} 3 1700000000000", "m", "a=x", 3)]
    [InlineData("m{a=\"quote \\\" and \\\\ slash\",} 2", "m", "a=quote \" and \\ slash", 2)]
    [InlineData("m{ a=\"1\" , b=\"2\" } +Inf", "m", "a=1;b=2", double.PositiveInfinity)]
    [InlineData("process_cpu_seconds_total 1.5e-3", "process_cpu_seconds_total", "", 0.0015)]
    public void TryParseLine_ValidSample_ReadsNameLabelsAndValue(string line, string name, string labels, double value)
    {
        var sample = PrometheusTextParser.TryParseLine(line);

        Assert.NotNull(sample);
        Assert.Equal(name, sample.Name);
        Assert.Equal(labels, string.Join(";", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
        Assert.Equal(value, sample.Value);
    }

    [Theory]
    [InlineData("{a=\"x\"} 1")]
    [InlineData("m{a=\"x} 1")]
    [InlineData("m{a=x} 1")]
    [InlineData("m{a=\"x\"}")]
    [InlineData("m one")]
    [InlineData("9m 1")]
    public void TryParseLine_Malformed_ReturnsNull(string line) => Assert.Null(PrometheusTextParser.TryParseLine(line));

    [Fact]
    public void Parse_CommentsBlanksAndGarbage_SkipsThemAndCountsGarbage()
    {
        var samples = PrometheusTextParser.Parse("# HELP up x\n# TYPE up gauge\n\nup 1\nnot a sample\r\nother{a=\"b\"} 2\r\n", out var skipped);

        Assert.Equal(["up", "other"], samples.Select(s => s.Name));
        Assert.Equal(1, skipped);
    }
}
