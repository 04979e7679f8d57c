using System.Text.Json;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.Postgres.Cluster;

/// <summary>camelCase JSON of <see cref="ClusterState"/>. Reading validates it: the value comes from Consul KV.</summary>
internal static class ClusterStateJson
{
    public static string Write(ClusterState state) => JsonSerializer.Serialize(state, PostgresJsonContext.Default.ClusterState);

    /// <summary>The state, or null with the reason when the text is not a valid state.</summary>
    public static ClusterState? TryRead(string? json, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "empty";
            return null;
        }

        ClusterState? state;
        try
        {
            state = JsonSerializer.Deserialize(json, PostgresJsonContext.Default.ClusterState);
        }
        catch (JsonException exception)
        {
            error = "not a cluster state: " + exception.Message;
            return null;
        }

        error = state switch
        {
            null => "null",
            { Generation: < 1 } => $"generation {state.Generation} is below 1",
            { Primary: null } or { Primary.Length: 0 } => "no primary",
            _ when !NodeAgentConfigLoader.NamePattern().IsMatch(state.Primary) => $"primary \"{state.Primary}\" is not a node name",
            { Token: 0 } => "no fencing token",
            { Demote.Target: null } => "demotion without a target",
            { Demote: { } demote } when !NodeAgentConfigLoader.NamePattern().IsMatch(demote.Target) || demote.Target == state.Primary =>
                $"demotion target \"{demote.Target}\" is not another node",
            _ => null,
        };
        return error is null ? state : null;
    }
}
