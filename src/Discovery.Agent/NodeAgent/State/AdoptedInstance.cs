using Discovery.Agent.NodeAgent.Supervision;
using Discovery.Agent.Processes;

namespace Discovery.Agent.NodeAgent.State;

/// <summary>An instance a previous run left that is fit to supervise again: pass both to a new <see cref="InstanceSupervisor"/>.</summary>
public sealed record AdoptedInstance(InstanceSpec Spec, IProcessHandle Process);
