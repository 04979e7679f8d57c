namespace Discovery.WebApp.Endpoints;

/// <summary>The body of <c>GET /stats</c>.</summary>
internal sealed record StatsResponse(long Requests, long ServerErrors);
