namespace Discovery.Core.NodeAgent.State;

/// <summary>What to do with one state-file record, and why (for the log).</summary>
public sealed record AdoptionDecision(AdoptionAction Action, string Reason);
