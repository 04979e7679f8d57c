using Discovery.Core.Scaling.Evaluation;

namespace Discovery.Core.Tests.Scaling.Evaluation;

public sealed class ScalingStateJsonTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_State_UsesCamelCaseAndReadsBackEqual()
    {
        var state = new ScalingState
        {
            LastScaleUpAt = T0,
            LastScaleDownAt = T0.AddMinutes(-3),
            Recommendations = [new TimedRecommendation(T0.AddSeconds(-20), 5), new TimedRecommendation(T0, 3)],
        };

        var json = ScalingStateJson.Write(state);

        Assert.Contains("\"lastScaleUpAt\"", json, StringComparison.Ordinal);
        Assert.Contains("\"recommendations\"", json, StringComparison.Ordinal);
        Assert.True(ScalingStateJson.TryRead(json, out var restored, out var error), error);
        Assert.Equal(state.LastScaleUpAt, restored.LastScaleUpAt);
        Assert.Equal(state.LastScaleDownAt, restored.LastScaleDownAt);
        Assert.Equal(state.Recommendations, restored.Recommendations);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"lastScaleUpAt\":\"2025-01-01T12:00:00+00:00\"}")]
    public void TryRead_NoRecommendations_ReadsAnEmptyWindow(string json)
    {
        Assert.True(ScalingStateJson.TryRead(json, out var state, out var error), error);
        Assert.Empty(state.Recommendations);
    }

    [Fact]
    public void TryRead_EmptyState_ReadsBackEmpty()
    {
        Assert.True(ScalingStateJson.TryRead(ScalingStateJson.Write(ScalingState.Empty), out var restored, out _));
        Assert.Null(restored.LastScaleUpAt);
        Assert.Empty(restored.Recommendations);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("garbage")]
    [InlineData("[]")]
    [InlineData("{\"lastScaleUpAt\":\"yesterday\"}")]
    [InlineData("{\"recommendations\":null}")]
    [InlineData("{\"recommendations\":[null]}")]
    [InlineData("{\"recommendations\":[{\"at\":\"2025-01-01T12:00:00+00:00\",\"count\":\"many\"}]}")]
    public void TryRead_Garbage_FailsWithReason(string json)
    {
        Assert.False(ScalingStateJson.TryRead(json, out var state, out var error));
        Assert.Null(state);
        Assert.StartsWith("scaling state:", error, StringComparison.Ordinal);
    }
}
