using Discovery.Core.NodeAgent.Supervision;
using Discovery.Core.Processes;

namespace Discovery.Core.NodeAgent.State;

/// <summary>An instance a previous run left that is fit to supervise again: pass both to a new <see cref="InstanceSupervisor"/>.</summary>
public sealed record AdoptedInstance(InstanceSpec Spec, IProcessHandle Process);
