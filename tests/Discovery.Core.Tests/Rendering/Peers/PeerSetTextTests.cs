using Discovery.Core.Rendering.Peers;

namespace Discovery.Core.Tests.Rendering.Peers;

public sealed class PeerSetTextTests
{
    [Theory]
    [MemberData(nameof(PeerLineCases.All), MemberType = typeof(PeerLineCases))]
    public void Parse_OneLineNextToAValidOne_AcceptsOrSkipsWithReason(string line, string? expectedProblem)
    {
        var set = PeerSetText.Parse($"# comment\napi 10.1.1.1:80 1 keeper\n{line}\n", out var refusal);

        Assert.Null(refusal);
        Assert.NotNull(set);
        if (expectedProblem is null)
        {
            Assert.Equal(2, set.Peers.Count);
            Assert.Empty(set.Problems);
        }
        else
        {
            Assert.Equal(["keeper"], set.InstanceIds());
            Assert.Equal([$"line 3: {expectedProblem}"], set.Problems);
            Assert.Equal(1, set.Skipped);
        }
    }

    [Fact]
    public void Parse_ValidLine_FieldsAndEndpoint()
    {
        var set = PeerSetText.Parse("web [fd00::5]:9001 3 web-node-2-9001\r\n", out _)!;

        Assert.Equal(new PeerEntry("web", "[fd00::5]", 9001, 3, "web-node-2-9001"), Assert.Single(set.Peers));
        Assert.Equal("[fd00::5]:9001", set.Peers[0].Endpoint);
    }

    [Fact]
    public void Parse_DuplicateEndpointInOneApp_SecondSkipped_OtherAppKeepsIt()
    {
        var set = PeerSetText.Parse("web 10.0.0.1:80 1 a\nweb 10.0.0.1:80 2 b\napi 10.0.0.1:80 1 c\n", out _)!;

        Assert.Equal(["a", "c"], set.InstanceIds());
        Assert.Equal(["line 2: duplicate of an earlier line for web 10.0.0.1:80"], set.Problems);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n\n")]
    public void Parse_NoPeerLine_EmptySetNotRefused(string text)
    {
        var set = PeerSetText.Parse(text, out var refusal);

        Assert.Null(refusal);
        Assert.Empty(set!.Peers);
    }

    [Fact]
    public void Parse_OnlyInvalidLines_Refused()
    {
        Assert.Null(PeerSetText.Parse("web nowhere 1 x\n", out var refusal));
        Assert.StartsWith("no valid peer line (line 1: expected", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooManyPeers_Refused()
    {
        var text = string.Concat(Enumerable.Range(0, PeerSetText.MaxPeers + 1).Select(i => $"web 10.0.{i / 250}.{i % 250}:80 1 i{i}\n"));

        Assert.Null(PeerSetText.Parse(text, out var refusal));
        Assert.Equal($"more than {PeerSetText.MaxPeers} peers", refusal);
    }

    [Fact]
    public void Parse_LargerThanLimit_Refused()
    {
        Assert.Null(PeerSetText.Parse(new string('#', PeerSetText.MaxBytes + 1), out var refusal));
        Assert.Equal($"peer set larger than {PeerSetText.MaxBytes} bytes", refusal);
    }

    [Fact]
    public void Parse_ManyBadLines_ProblemsCappedSkippedCounted()
    {
        var text = "web 10.0.0.1:80 1 ok\n" + string.Concat(Enumerable.Repeat("bad\n", 30));

        var set = PeerSetText.Parse(text, out _)!;

        Assert.Equal(PeerSetText.MaxProblems, set.Problems.Count);
        Assert.Equal(30, set.Skipped);
    }

    [Fact]
    public void Format_AppsSortedPeersInGivenOrder_ParsesBackToTheSame()
    {
        PeerEntry[] peers = [new("web", "10.0.0.2", 80, 1, "w2"), new("api", "[::1]", 81, 5, "a1"), new("web", "10.0.0.1", 80, 2, "w1")];

        var text = PeerSetText.Format(peers);

        Assert.Equal("api [::1]:81 5 a1\nweb 10.0.0.2:80 1 w2\nweb 10.0.0.1:80 2 w1\n", text);
        Assert.Equal(text, PeerSetText.Format(PeerSetText.Parse(text, out _)!.Peers));
    }
}
