using Discovery.Core.Rendering.Configuration;
using Discovery.Core.Rendering.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Discovery.Core.Tests.Rendering.Hosting;

/// <summary>Per-template quiescence on a fake clock: template 0 waits like the nginx structure (200 ms quiet, 1 s cap), template 1 like the peer set (25 ms, 250 ms, refreshed every 5 s).</summary>
public sealed class TemplateQuiescenceTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly TemplateQuiescence _quiescence;

    public TemplateQuiescenceTests() => _quiescence = new TemplateQuiescence(
        [new QuiescenceWait(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)), new QuiescenceWait(TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(250))],
        [null, TimeSpan.FromSeconds(5)],
        _time);

    [Fact]
    public void IsDue_AtStart_EveryTemplate()
    {
        Assert.True(_quiescence.IsDue(0));
        Assert.True(_quiescence.IsDue(1));
    }

    [Theory]
    [InlineData(10, false, false)]
    [InlineData(25, false, true)]
    [InlineData(199, false, true)]
    [InlineData(200, true, true)]
    public void IsDue_QuietSinceAChange_EachAfterItsOwnMin(int quietMs, bool structureDue, bool peersDue)
    {
        AppliedBoth();
        _quiescence.Changed();

        _time.Advance(TimeSpan.FromMilliseconds(quietMs));

        Assert.Equal((structureDue, peersDue), (_quiescence.IsDue(0), _quiescence.IsDue(1)));
    }

    [Fact]
    public void IsDue_ChangesKeepComing_EachAtItsMax()
    {
        AppliedBoth();
        for (var elapsed = 0; elapsed < 1000; elapsed += 20)
        {
            _quiescence.Changed();
            Assert.Equal(elapsed >= 250, _quiescence.IsDue(1));
            Assert.False(_quiescence.IsDue(0));
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        _quiescence.Changed();
        Assert.True(_quiescence.IsDue(0));
    }

    [Fact]
    public void IsDue_NoChange_OnlyTheRefreshedTemplateAfterItsInterval()
    {
        AppliedBoth();

        _time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal((false, false), (_quiescence.IsDue(0), _quiescence.IsDue(1)));
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal((false, true), (_quiescence.IsDue(0), _quiescence.IsDue(1)));
    }

    [Fact]
    public void NextDue_AfterAChange_TheEarliestQuietEnd()
    {
        AppliedBoth();
        _quiescence.Changed();

        Assert.Equal(TimeSpan.FromMilliseconds(25), _quiescence.NextDue());
        _time.Advance(TimeSpan.FromMilliseconds(25));
        _quiescence.Applied(1);
        Assert.Equal(TimeSpan.FromMilliseconds(175), _quiescence.NextDue());
    }

    [Fact]
    public void NextDue_NothingPending_TheRefresh()
    {
        AppliedBoth();
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.FromSeconds(4), _quiescence.NextDue());
    }

    [Fact]
    public void NextDue_NoRefreshAndNothingPending_Null()
    {
        var quiescence = new TemplateQuiescence([QuiescenceWait.Default], [null], _time);
        quiescence.Applied(0);

        Assert.Null(quiescence.NextDue());
        Assert.False(quiescence.IsDue(0));
    }

    private void AppliedBoth()
    {
        _quiescence.Applied(0);
        _quiescence.Applied(1);
    }
}
