using Discovery.Core.NodeAgent.Reconciliation;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.Tests.NodeAgent.Reconciliation;

public sealed class ConvergencePlannerTests
{
    private static readonly InstanceView A = new("a", InstanceState.Running, 1);
    private static readonly InstanceView B = new("b", InstanceState.Running, 2);
    private static readonly InstanceView C = new("c", InstanceState.Running, 3);
    private static readonly InstanceView LoopingOld = new("old", InstanceState.CrashLooping, 0);
    private static readonly InstanceView BackingOffOld = new("backoff", InstanceState.BackingOff, 0);

    public static TheoryData<int?, int, InstanceView[], int, string[]> Cases => new()
    {
        { 3, 1, [], 3, [] },
        { 3, 1, [A], 2, [] },
        { 2, 1, [A, B], 0, [] },
        { 1, 1, [A, B, C], 0, ["c", "b"] },
        { 0, 1, [A, B], 0, ["b", "a"] },
        { 2, 1, [A, LoopingOld, B], 0, ["old"] },
        { 1, 1, [A, BackingOffOld, LoopingOld], 0, ["old", "backoff"] },
        // Unknown placement (Consul never answered): never drain, start up to the default.
        { null, 2, [], 2, [] },
        { null, 1, [A, B, C], 0, [] },
        { null, 3, [A], 2, [] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Plan_DesiredAndLive_StartsOrDrainsBrokenThenNewestFirst(int? desired, int defaultInstances, InstanceView[] live, int start, string[] drain)
    {
        var plan = ConvergencePlanner.Plan(desired, defaultInstances, live);

        Assert.Equal(start, plan.Start);
        Assert.Equal(drain, plan.Drain);
    }
}
