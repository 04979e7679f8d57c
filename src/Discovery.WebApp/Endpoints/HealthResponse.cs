namespace Discovery.WebApp.Endpoints;

/// <summary>The body of <c>GET /health</c>: <c>serving</c>, <c>starting</c> or <c>draining</c>.</summary>
internal sealed record HealthResponse(string Status);
