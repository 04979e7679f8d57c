using System.Text.Json;
using System.Text.Json.Nodes;
using Discovery.Core.Status;

namespace Discovery.Cli.Output;

/// <summary>
/// The stable `agent status --json` schema (version 1). Field names are part of the CLI's contract:
/// add fields, never rename or remove them.
/// </summary>
internal static class FleetStatusJson
{
    public const int SchemaVersion = 1;

    public static string Serialize(FleetStatus status) =>
        ToJson(status).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static JsonObject ToJson(FleetStatus status) => new()
    {
        ["schema"] = SchemaVersion,
        ["readAt"] = status.ReadAt.ToString("O"),
        ["consulLeader"] = status.ConsulLeader,
        ["apps"] = new JsonArray([.. status.Apps.Select(App)]),
    };

    private static JsonNode App(AppStatus app) => new JsonObject
    {
        ["name"] = app.Name,
        ["desired"] = app.Desired,
        ["placed"] = app.Placed,
        ["placement"] = new JsonObject(app.Placement.Select(pair => KeyValuePair.Create(pair.Key, (JsonNode?)pair.Value))),
        ["running"] = app.Running,
        ["passing"] = app.Passing,
        ["routed"] = app.Routed,
        ["autoscale"] = app.Autoscale,
        ["hold"] = app.Hold is null ? null : new JsonObject
        {
            ["count"] = app.Hold.Count,
            ["until"] = app.Hold.Until?.ToString("O"),
            ["reason"] = app.Hold.Reason,
            ["active"] = app.Hold.Active,
        },
        ["leader"] = app.Leader is null ? null : new JsonObject
        {
            ["session"] = app.Leader.Session,
            ["node"] = app.Leader.Node,
            ["name"] = app.Leader.SessionName,
            ["fencingToken"] = app.Leader.FencingToken,
        },
        ["decisions"] = new JsonArray([.. app.Decisions.Select(decision => (JsonNode)new JsonObject
        {
            ["seq"] = decision.Sequence,
            ["summary"] = decision.Summary,
            ["entry"] = decision.Raw is { } raw ? JsonNode.Parse(raw.GetRawText()) : null,
        })]),
        ["instances"] = new JsonArray([.. app.Instances.Select(instance => (JsonNode)new JsonObject
        {
            ["id"] = instance.Id,
            ["node"] = instance.Node,
            ["address"] = instance.Address,
            ["port"] = instance.Port,
            ["health"] = instance.Health,
            ["version"] = instance.Version,
            ["ageSeconds"] = instance.Age is { } age ? Math.Round(age.TotalSeconds, 1) : null,
            ["routed"] = instance.Routed,
        })]),
    };
}
