using Discovery.Core.Rendering.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Discovery.Core.Tests.Rendering.Hosting;

public sealed class MissingDataReporterTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public void Observe_MissingPastTheDelay_ReportsEachOnce()
    {
        var reporter = new MissingDataReporter(TimeSpan.FromSeconds(3), _clock);

        Assert.Empty(reporter.Observe(["kv.get(a)", "kv.get(b)"]));
        Assert.Equal(TimeSpan.FromSeconds(3), reporter.NextDue());
        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(reporter.Observe(["kv.get(a)", "kv.get(b)"]));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["kv.get(a)", "kv.get(b)"], reporter.Observe(["kv.get(a)", "kv.get(b)"]).Select(due => due.Dependency));
        Assert.Empty(reporter.Observe(["kv.get(a)", "kv.get(b)"]));
        Assert.Null(reporter.NextDue());
    }

    [Fact]
    public void Observe_DataArrivesThenGoesMissingAgain_StartsOver()
    {
        var reporter = new MissingDataReporter(TimeSpan.FromSeconds(3), _clock);
        reporter.Observe(["kv.get(a)"]);
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Single(reporter.Observe(["kv.get(a)"]));

        Assert.Empty(reporter.Observe([]));
        Assert.Empty(reporter.Observe(["kv.get(a)"]));
        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Single(reporter.Observe(["kv.get(a)"]));
    }
}
