using Discovery.Agent.NodeAgent.Supervision;

namespace Discovery.Agent.NodeAgent.Reconciliation;

/// <summary>The planner's view of one live (not draining) instance.</summary>
/// <param name="Sequence">Start order on this node: higher is newer.</param>
public sealed record InstanceView(string InstanceId, InstanceState State, long Sequence);
