using Discovery.Core.Scaling.Placement;

namespace Discovery.Core.Tests.Scaling.Placement;

public sealed class PlacementPlannerTests
{
    /// <summary>Nodes "a,b,c"; placements "a=2,b=1" (ordinal order in the expected column).</summary>
    [Theory]
    [InlineData("spread from nothing", 5, "a,b,c", "", "a=2,b=2,c=1", 0)]
    [InlineData("even split", 6, "a,b,c", "", "a=2,b=2,c=2", 0)]
    [InlineData("+1 adds one, moves none", 6, "a,b,c", "a=2,b=2,c=1", "a=2,b=2,c=2", 0)]
    [InlineData("+1 lands where the spread allows", 5, "a,b,c", "a=1,b=2,c=1", "a=2,b=2,c=1", 0)]
    [InlineData("extra stays on the node that has it", 4, "a,b,c", "a=1,b=1,c=2", "a=1,b=1,c=2", 0)]
    [InlineData("-1 removes one, moves none", 4, "a,b,c", "a=2,b=1,c=2", "a=2,b=1,c=1", 0)]
    [InlineData("-1 from the node with the most", 3, "a,b,c", "a=1,b=2,c=1", "a=1,b=1,c=1", 0)]
    [InlineData("node loss moves its share", 6, "a,b", "a=2,b=2,c=2", "a=3,b=3,c=0", 2)]
    [InlineData("node loss with uneven share", 5, "a,c", "a=2,b=2,c=1", "a=3,b=0,c=2", 2)]
    [InlineData("node gain takes a share", 6, "a,b,c", "a=3,b=3", "a=2,b=2,c=2", 2)]
    [InlineData("more instances than nodes", 7, "a,b", "", "a=4,b=3")]
    [InlineData("fewer instances than nodes", 2, "a,b,c,d", "", "a=1,b=1,c=0,d=0", 0)]
    [InlineData("fewer instances stay where they run", 2, "a,b,c,d", "c=1,d=1", "a=0,b=0,c=1,d=1", 0)]
    [InlineData("zero desired empties every node", 0, "a,b", "a=1,b=1", "a=0,b=0", 0)]
    [InlineData("lopsided placement is evened out", 4, "a,b", "a=4", "a=2,b=2", 2)]
    [InlineData("input order and duplicates do not matter", 3, "c,a,b,a", "", "a=1,b=1,c=1", 0)]
    [InlineData("negative current counts read as zero", 2, "a,b", "a=-3", "a=1,b=1", 0)]
    [InlineData("one node takes everything", 9, "n1", "n1=2", "n1=9", 0)]
    public void Plan_DesiredOverNodes_SpreadsEvenlyAndStably(
        string scenario, int desired, string nodes, string current, string expected, int expectedMoved = 0)
    {
        var plan = PlacementPlanner.Plan(desired, Nodes(nodes), Counts(current));

        Assert.True(plan.CanPlace, scenario);
        Assert.Equal(expected, Format(plan.Counts));
        Assert.True(expectedMoved == plan.Moved, $"{scenario}: moved {plan.Moved}, expected {expectedMoved}");
    }

    [Fact]
    public void Plan_NoEligibleNodes_CannotPlace()
    {
        var plan = PlacementPlanner.Plan(3, [], Counts("a=2,b=1"));

        Assert.False(plan.CanPlace);
        Assert.Empty(plan.Counts);
        Assert.Equal("cannot place 3 instance(s): no eligible node", plan.Reason);
    }

    [Fact]
    public void Plan_NoEligibleNodesAndZeroDesired_EmptiesCurrentNodes()
    {
        var plan = PlacementPlanner.Plan(0, [], Counts("a=2"));
        Assert.True(plan.CanPlace);
        Assert.Equal("a=0", Format(plan.Counts));
    }

    [Fact]
    public void Plan_NegativeDesired_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PlacementPlanner.Plan(-1, ["a"], Counts(string.Empty)));
    }

    [Fact]
    public void Plan_SameInputInAnyOrder_SamePlan()
    {
        var first = PlacementPlanner.Plan(5, ["n3", "n1", "n2", "n4"], Counts("n2=1,n4=1,n1=1"));
        var second = PlacementPlanner.Plan(5, ["n4", "n2", "n1", "n3"], Counts("n1=1,n4=1,n2=1"));
        Assert.Equal(Format(first.Counts), Format(second.Counts));
        Assert.Equal(first.Reason, second.Reason);
    }

    /// <summary>Every desired count 0..24 over 1..6 nodes: stepping ±1 from a plan keeps the spread and moves nothing.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(6)]
    public void Plan_StepByOneUpAndDown_KeepsSpreadAndMovesNothing(int nodeCount)
    {
        var nodes = Enumerable.Range(1, nodeCount).Select(i => $"node-{i}").ToList();
        IReadOnlyDictionary<string, int> placement = new Dictionary<string, int>();
        foreach (var desired in Enumerable.Range(0, 25).Concat(Enumerable.Range(0, 24).Reverse()))
        {
            var plan = PlacementPlanner.Plan(desired, nodes, placement);
            Assert.Equal(desired, plan.Counts.Values.Sum());
            Assert.True(plan.Counts.Values.Max() - plan.Counts.Values.Min() <= 1, Format(plan.Counts));
            Assert.Equal(0, plan.Moved);
            var changed = nodes.Sum(n => Math.Abs(plan.Counts[n] - placement.GetValueOrDefault(n)));
            Assert.True(changed <= 1, $"desired {desired}: {changed} changes");
            placement = plan.Counts;
        }
    }

    private static List<string> Nodes(string nodes) => nodes.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static Dictionary<string, int> Counts(string counts) =>
        counts.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => c.Split('='))
            .ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    private static string Format(IReadOnlyDictionary<string, int> counts) =>
        string.Join(",", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
}
