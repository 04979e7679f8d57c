namespace Discovery.Consul.Sessions;

/// <summary>Answer to a session create: the new session's ID.</summary>
internal sealed record SessionCreated(string ID);
