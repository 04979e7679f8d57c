using System.Text;
using Discovery.Consul.KV;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Tests.Scaling.Store;

public sealed class AppSnapshotTests
{
    private static readonly ScalerKeys Keys = new("discovery", "web");

    [Theory]
    [InlineData("3", 3)]
    [InlineData(" 4\n", 4)]
    [InlineData("0", 0)]
    [InlineData("-1", null)]
    [InlineData("abc", null)]
    [InlineData("2.5", null)]
    [InlineData("", null)]
    [InlineData("+2", null)]
    public void DesiredCount_Text_ParsedOnlyWhenPlainInteger(string text, int? expected)
    {
        var snapshot = AppSnapshot.From(Keys, [Pair(Keys.Desired, text)]);

        Assert.Equal(expected, snapshot.DesiredCount);
    }

    [Fact]
    public void From_MixedKeys_SortsEachIntoItsPlace()
    {
        var snapshot = AppSnapshot.From(Keys,
        [
            Pair("discovery/apps/web/placement/n2", "2"),
            Pair("discovery/apps/web/placement/n1", "junk"),
            Pair("discovery/apps/web/placement/n3/extra", "9"),
            Pair("discovery/apps/web/history/000000000010", "{}"),
            Pair("discovery/apps/web/history/000000000002", "{}"),
            Pair("discovery/apps/web/history/notanumber", "{}"),
            Pair("discovery/apps/web/leader", "holder"),
            Pair("discovery/apps/web/autoscale", "off"),
        ]);

        Assert.Equal(new Dictionary<string, int> { ["n1"] = 0, ["n2"] = 2 }, snapshot.PlacementCounts);
        Assert.Equal([2L, 10L], snapshot.HistorySequences);
        Assert.Equal("off", snapshot.AutoscaleText);
        Assert.Null(snapshot.Desired);
    }

    [Fact]
    public void HistoryKey_RoundTrips_AndSortsNumerically()
    {
        Assert.Equal(42, Keys.HistorySequence(Keys.History(42)));
        Assert.True(string.CompareOrdinal(Keys.History(9), Keys.History(10)) < 0);
    }

    [Theory]
    [InlineData("""{"count":3,"until":"2026-01-01T10:00:00Z","reason":"demo"}""", true)]
    [InlineData("""{"count":3,"until":"2026-01-01T10:00:00Z"}""", true)]
    [InlineData("""{"count":-1,"until":"2026-01-01T10:00:00Z"}""", false)]
    [InlineData("""{"count":"3","until":"2026-01-01T10:00:00Z"}""", false)]
    [InlineData("""{"count":3}""", false)]
    [InlineData("""{"count":3,"until":"tomorrow"}""", false)]
    [InlineData("[]", false)]
    [InlineData("{", false)]
    [InlineData("", false)]
    public void HoldJson_TryRead_AcceptsOnlyCompleteHolds(string json, bool valid)
    {
        Assert.Equal(valid, HoldJson.TryRead(json, out _, out var error));
        Assert.Equal(valid, error is null);
    }

    [Fact]
    public void HoldJson_WriteThenRead_RoundTrips()
    {
        var hold = new ManualHold(5, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), "scale test");

        Assert.True(HoldJson.TryRead(HoldJson.Write(hold), out var read, out _));
        Assert.Equal(hold, read);
    }

    private static KVPair Pair(string key, string value) => new() { Key = key, Value = Encoding.UTF8.GetBytes(value) };
}
