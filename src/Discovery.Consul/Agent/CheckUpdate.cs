namespace Discovery.Consul.Agent;

/// <summary>Body of PUT /v1/agent/check/update/:id.</summary>
internal sealed record CheckUpdate(string Status, string Output);
