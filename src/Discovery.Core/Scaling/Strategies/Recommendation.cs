namespace Discovery.Core.Scaling.Strategies;

/// <summary>The count a strategy wants and a sentence saying why, for <c>agent status</c> and the decision log.</summary>
internal sealed record Recommendation(int Count, string Reason);
