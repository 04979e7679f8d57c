using Discovery.Core.NodeAgent.Reconciliation;

namespace Discovery.Core.Tests.NodeAgent.Reconciliation;

public sealed class PlacementValueTests
{
    [Theory]
    [InlineData(null, null, false)]
    [InlineData("3", 3, false)]
    [InlineData(" 0\n", 0, false)]
    [InlineData("256", 256, false)]
    [InlineData("257", null, true)]
    [InlineData("-1", null, true)]
    [InlineData("2.5", null, true)]
    [InlineData("three", null, true)]
    [InlineData("", null, true)]
    [InlineData("{\"count\":\"2\"}", null, true)]
    [InlineData("{\"1.0.0\":2,\"1.1.0\":1}", 3, false)]
    [InlineData("{}", 0, false)]
    [InlineData("{\"1.0.0\":-1}", null, true)]
    [InlineData("{\"1.0.0\":1.5}", null, true)]
    [InlineData("{\"../x\":1}", null, true)]
    [InlineData("{\"a b\":1}", null, true)]
    [InlineData("{\"1.0.0\":1,\"1.0.0\":2}", null, true)]
    [InlineData("{\"1.0.0\":200,\"1.1.0\":100}", null, true)]
    [InlineData("[1]", null, true)]
    [InlineData("{\"1.0.0\":", null, true)]
    public void Parse_Text_CountOrError(string? raw, int? count, bool isError)
    {
        var value = PlacementValue.Parse(raw);

        Assert.Equal(count, value.Count);
        Assert.Equal(isError, value.Error is not null);
    }

    [Fact]
    public void Format_VersionMap_ParsesBackSorted()
    {
        var text = PlacementValue.Format(new Dictionary<string, int> { ["1.1.0"] = 1, ["1.0.0"] = 2 });

        Assert.Equal("{\"1.0.0\":2,\"1.1.0\":1}", text);
        Assert.Equal(new Dictionary<string, int> { ["1.0.0"] = 2, ["1.1.0"] = 1 }, PlacementValue.Parse(text).Versions);
    }
}
