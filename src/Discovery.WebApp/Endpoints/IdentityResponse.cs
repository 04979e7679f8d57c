namespace Discovery.WebApp.Endpoints;

/// <summary>The body of <c>GET /</c>: enough to see which instance answered and how busy it is, and the feature flags it applied.</summary>
internal sealed record IdentityResponse(
    string App,
    string Version,
    string Node,
    string Instance,
    string Address,
    int Port,
    int Pid,
    double UptimeSeconds,
    long RequestCount,
    int InFlight,
    string Message,
    IReadOnlyDictionary<string, bool> Flags);
