using Discovery.Core.Timing;
using Microsoft.Extensions.Time.Testing;

namespace Discovery.Core.Tests.Timing;

/// <summary>The one "wait until signalled or timed out", with the test's clock deciding the timeout.</summary>
public sealed class WakeSignalTests
{
    [Fact]
    public async Task WaitAsync_SetBefore_ReturnsTrueAtOnce()
    {
        var signal = new WakeSignal(new FakeTimeProvider());
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromHours(1), CancellationToken.None));
    }

    [Fact]
    public async Task WaitAsync_SetManyTimes_WakesOnce()
    {
        var clock = new FakeTimeProvider();
        var signal = new WakeSignal(clock);
        signal.Set();
        signal.Set();
        signal.Set();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None));
        var second = signal.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.False(await second.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitAsync_TestClockPassesTimeout_ReturnsFalseWithoutWallClockWait()
    {
        var clock = new FakeTimeProvider();
        var signal = new WakeSignal(clock);

        var wait = signal.WaitAsync(TimeSpan.FromMinutes(10), CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(9));
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));

        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitAsync_SetWhileWaiting_ReturnsTrue()
    {
        var signal = new WakeSignal(new FakeTimeProvider());

        var wait = signal.WaitAsync(Timeout.InfiniteTimeSpan, CancellationToken.None);
        signal.Set();

        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var signal = new WakeSignal(new FakeTimeProvider());
        using var stop = new CancellationTokenSource();

        var wait = signal.WaitAsync(TimeSpan.FromMinutes(1), stop.Token);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task UntilAsync_NoTimeLeft_ReturnsFalseWithoutWaiting(int milliseconds)
    {
        var waited = false;

        var signalled = await TimedWait.UntilAsync(_ => { waited = true; return Task.CompletedTask; }, TimeSpan.FromMilliseconds(milliseconds), new FakeTimeProvider(), CancellationToken.None);

        Assert.False(signalled);
        Assert.False(waited);
    }
}
