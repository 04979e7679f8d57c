using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Tests.TestSupport;

namespace Discovery.Core.Tests.NodeAgent.Supervision;

public sealed class InstanceLogTests
{
    [Fact]
    public void TrimIfLarger_OverLimit_KeepsNewestHalfFromALineStart()
    {
        using var scope = new ProcessTestScope();
        var path = scope.PathOf("big.log");
        File.WriteAllLines(path, Enumerable.Range(0, 1000).Select(i => $"line {i:D4}"));
        var before = new FileInfo(path).Length;

        Assert.True(InstanceLog.TrimIfLarger(path, 4096));

        var lines = File.ReadAllLines(path);
        Assert.True(new FileInfo(path).Length <= 2048);
        Assert.Equal("line 0999", lines[^1]);
        Assert.StartsWith("line ", lines[0]);
        Assert.True(before > 4096);
    }

    [Fact]
    public void TrimIfLarger_UnderLimitOrMissing_LeavesItAlone()
    {
        using var scope = new ProcessTestScope();
        File.WriteAllText(scope.PathOf("small.log"), "a\nb\n");

        Assert.False(InstanceLog.TrimIfLarger(scope.PathOf("small.log"), 4096));
        Assert.False(InstanceLog.TrimIfLarger(scope.PathOf("missing.log"), 4096));
        Assert.Equal("a\nb\n", File.ReadAllText(scope.PathOf("small.log")));
    }

    [Theory]
    [InlineData("one\ntwo\n", "two")]
    [InlineData("one\ntwo\n\n  \n", "two")]
    [InlineData("only", "only")]
    [InlineData("", null)]
    public void ReadLastLine_Log_ReturnsLastNonEmptyLine(string content, string? expected)
    {
        using var scope = new ProcessTestScope();
        File.WriteAllText(scope.PathOf("x.log"), content);

        Assert.Equal(expected, InstanceLog.ReadLastLine(scope.PathOf("x.log")));
    }
}
