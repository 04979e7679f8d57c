namespace Discovery.TodoApp;

/// <summary>A member the app may use: where it listens and the cluster generation it reports.</summary>
internal sealed record DatabaseEndpoint(string Node, string Address, int Port, long Generation);
