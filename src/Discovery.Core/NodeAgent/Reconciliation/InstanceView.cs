using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>The planner's view of one live (not draining) instance.</summary>
/// <param name="Sequence">Start order on this node: higher is newer.</param>
public sealed record InstanceView(string InstanceId, InstanceState State, long Sequence);
