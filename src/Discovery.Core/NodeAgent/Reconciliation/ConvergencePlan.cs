namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>What one convergence pass does: start this many instances, drain these.</summary>
public sealed record ConvergencePlan(int Start, IReadOnlyList<string> Drain)
{
    public static readonly ConvergencePlan Nothing = new(0, []);
}
