using Discovery.WebApp.Flags;

namespace Discovery.WebApp.Tests.Flags;

public sealed class FeatureFlagsTests
{
    [Fact]
    public void IsOn_PercentRollout_StickyPerKeyAndAboutTheShare()
    {
        var flag = new FlagValue(true, 30);
        var keys = Enumerable.Range(0, 1000).Select(i => $"user-{i}").ToList();

        var first = keys.Select(key => FeatureFlags.IsOn("loud-greeting", flag, key)).ToList();
        var again = keys.Select(key => FeatureFlags.IsOn("loud-greeting", flag, key)).ToList();

        Assert.Equal(first, again);
        Assert.InRange(first.Count(on => on), 250, 350);
    }

    [Theory]
    [InlineData(false, 100, false)]
    [InlineData(true, 100, true)]
    [InlineData(true, 0, false)]
    public void IsOn_EnabledAndPercent_Expected(bool enabled, int percent, bool expected)
    {
        Assert.Equal(expected, FeatureFlags.IsOn("f", new FlagValue(enabled, percent), "any-key"));
    }

    [Fact]
    public void Bucket_SameInputs_SameBucketInRange()
    {
        Assert.Equal(FeatureFlags.Bucket("f", "k"), FeatureFlags.Bucket("f", "k"));
        Assert.InRange(FeatureFlags.Bucket("f", "k"), 0, 99);
    }
}
