using System.Text.Json;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Cluster;

namespace Discovery.Core.Postgres.Failover;

/// <summary>
/// <c>&lt;prefix&gt;/pg-requests/&lt;cluster&gt;/switchover</c>, written by `agent pg switchover --to`. The
/// key's ModifyIndex identifies the request: the leader records the last one it handled in the
/// cluster state, so each request is carried out (or refused) exactly once.
/// </summary>
public sealed record SwitchoverRequest(string To, DateTimeOffset RequestedAt, string RequestedBy)
{
    public static string Write(SwitchoverRequest request) => JsonSerializer.Serialize(request, PostgresJsonContext.Default.SwitchoverRequest);

    public static SwitchoverRequest? TryRead(string? json, out string? error)
    {
        try
        {
            var request = string.IsNullOrWhiteSpace(json) ? null : JsonSerializer.Deserialize(json, PostgresJsonContext.Default.SwitchoverRequest);
            error = request is null ? "empty"
                : request.To is null || !NodeAgentConfigLoader.NamePattern().IsMatch(request.To) ? $"target \"{request.To}\" is not a node name"
                : null;
            return error is null ? request : null;
        }
        catch (JsonException exception)
        {
            error = "not a switchover request: " + exception.Message;
            return null;
        }
    }
}
