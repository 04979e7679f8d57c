namespace Discovery.Core.Tests.TestSupport;

/// <summary>A clock the test moves by hand (Microsoft's FakeTimeProvider is not available here).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
