namespace Discovery.Core.Tests.TestSupport;

/// <summary>A clock the test moves by hand (Microsoft's FakeTimeProvider is not available here).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Elapsed-time measurements (GetTimestamp/GetElapsedTime) follow the same hand-moved clock.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _now.UtcTicks;

    public void Advance(TimeSpan by) => _now += by;
}
