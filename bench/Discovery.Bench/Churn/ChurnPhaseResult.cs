using Discovery.Testing.Load;

namespace Discovery.Bench.Churn;

/// <summary>One churn phase: what wrk counted and what nginx and the renderer did meanwhile.</summary>
internal sealed record ChurnPhaseResult(string Name, WrkResult Wrk, int Reloads, int Pushes, int StructuralChanges, int Actions);
