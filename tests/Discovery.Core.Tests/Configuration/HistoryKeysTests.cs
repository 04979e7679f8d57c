using Discovery.Core.Configuration;

namespace Discovery.Core.Tests.Configuration;

public sealed class HistoryKeysTests
{
    private static readonly HistoryKeys Keys = new("discovery/pg/pg/history/");

    [Theory]
    [InlineData(new long[0], 50, int.MaxValue, 1, new long[0])]
    [InlineData(new long[] { 1, 2, 3 }, 50, int.MaxValue, 4, new long[0])]
    [InlineData(new long[] { 1, 2, 3 }, 3, int.MaxValue, 4, new long[] { 1 })]
    [InlineData(new long[] { 5, 6, 7, 8 }, 2, int.MaxValue, 9, new long[] { 5, 6, 7 })]
    [InlineData(new long[] { 5, 6, 7, 8 }, 2, 2, 9, new long[] { 5, 6 })]
    [InlineData(new long[] { 41 }, 1, int.MaxValue, 42, new long[] { 41 })]
    public void Append_Existing_NextAndOldestToDelete(long[] existing, int keep, int maxDeleted, long next, long[] expired)
    {
        var (actualNext, actualExpired) = HistoryKeys.Append(existing, keep, maxDeleted);

        Assert.Equal(next, actualNext);
        Assert.Equal(expired, actualExpired);
    }

    [Theory]
    [InlineData("discovery/pg/pg/history/000000000042", 42L)]
    [InlineData("discovery/pg/pg/history/x", null)]
    [InlineData("discovery/pg/pg/state", null)]
    [InlineData("discovery/pg/pg/history/", null)]
    public void Sequence_Key_NumberOrNull(string key, long? sequence) => Assert.Equal(sequence, Keys.Sequence(key));

    [Fact]
    public void Key_Sequences_SortLexicallyInNumericOrder() =>
        Assert.True(string.CompareOrdinal(Keys.Key(9), Keys.Key(10)) < 0 && Keys.Sequence(Keys.Key(123)) == 123);
}
