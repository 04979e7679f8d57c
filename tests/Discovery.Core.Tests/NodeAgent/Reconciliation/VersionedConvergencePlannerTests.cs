using Discovery.Core.NodeAgent.Reconciliation;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.Tests.NodeAgent.Reconciliation;

public sealed class VersionedConvergencePlannerTests
{
    [Theory]
    // placement (null: plain count 2 of the config's 1.0.0), live versions → "version:start:drained" per version
    [InlineData(null, "1.0.0,1.0.0", "1.0.0:0:0")]
    [InlineData("1.0.0=2,1.1.0=1", "1.0.0,1.0.0", "1.0.0:0:0 1.1.0:1:0")]
    [InlineData("1.1.0=2", "1.0.0,1.1.0,1.1.0", "1.0.0:0:1 1.1.0:0:0")]    // a version no longer named is drained
    [InlineData("1.0.0=1,2.0.0=2", "1.0.0,1.0.0", "1.0.0:0:1 2.0.0:0:0")]  // 2.0.0 cannot run here: never started
    [InlineData("1.0.0=2", "1.0.0", "1.0.0:1:0")]
    public void Plan_VersionMap_StartsAndDrainsPerVersion(string? map, string live, string expected)
    {
        var versions = map?.Split(',').Select(pair => pair.Split('=')).ToDictionary(pair => pair[0], pair => int.Parse(pair[1], System.Globalization.CultureInfo.InvariantCulture));
        var views = live.Split(',').Select((version, i) => new VersionedInstanceView(version, new InstanceView($"i{i}", InstanceState.Running, i))).ToList();
        var unrunnable = new List<string>();

        var plans = VersionedConvergencePlanner.Plan(versions?.Values.Sum() ?? 2, versions, "1.0.0", 1, views,
            version => version == "2.0.0" ? "artifact folder missing" : null, (version, _) => unrunnable.Add(version));

        Assert.Equal(expected, string.Join(' ', plans.Select(plan => $"{plan.Version}:{plan.Plan.Start}:{plan.Plan.Drain.Count}")));
        Assert.Equal(map?.Contains("2.0.0", StringComparison.Ordinal) == true ? ["2.0.0"] : [], unrunnable);
    }

    [Fact]
    public void Plan_PlacementUnknown_OnlyTheConfigVersionNothingDrained()
    {
        var views = new[] { new VersionedInstanceView("1.1.0", new InstanceView("a", InstanceState.Running, 1)) };

        var plans = VersionedConvergencePlanner.Plan(null, null, "1.0.0", 2, views, _ => null);

        Assert.Equal(("1.0.0", 1, 0), (plans.Single().Version, plans.Single().Plan.Start, plans.Single().Plan.Drain.Count));
    }
}
