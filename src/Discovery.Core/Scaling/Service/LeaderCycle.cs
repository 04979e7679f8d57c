using Discovery.Consul.Locking;
using Discovery.Core.Scaling.Evaluation;

namespace Discovery.Core.Scaling.Service;

/// <summary>What one term carries from round to round.</summary>
/// <param name="Term">The lock term whose fencing token guards every write.</param>
/// <param name="State">Cooldowns and recommendations (stored in KV for the next leader too).</param>
/// <param name="History">Stored history sequences, ascending.</param>
/// <param name="Eligible">Nodes instances may be placed on.</param>
/// <param name="FirstOfTerm">True until the term's first evaluation is committed.</param>
internal sealed record LeaderCycle(LeaderTerm Term, ScalingState State, IReadOnlyList<long> History, IReadOnlyList<string> Eligible, bool FirstOfTerm)
{
    /// <summary>The kind of the last evaluated decision (history records each change of kind once).</summary>
    public ScalingDecisionKind? LastKind { get; init; }

    /// <summary>A deploy is in progress: the leader steps it every <see cref="AppScalerOptions.DeployTick"/>.</summary>
    public bool DeployActive { get; init; }
}
