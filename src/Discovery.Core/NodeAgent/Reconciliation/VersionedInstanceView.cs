namespace Discovery.Core.NodeAgent.Reconciliation;

/// <summary>A live instance as the versioned planner sees it: its version and its planner view.</summary>
public sealed record VersionedInstanceView(string Version, InstanceView View);
