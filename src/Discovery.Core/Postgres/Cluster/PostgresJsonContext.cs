using System.Text.Json.Serialization;
using Discovery.Core.Postgres.Failover;

namespace Discovery.Core.Postgres.Cluster;

/// <summary>
/// The JSON of everything the Postgres members and `agent pg` write to KV: source-generated (no
/// reflection, so the native `agent` can run it), camelCase, indented for the Consul UI.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ClusterState))]
[JsonSerializable(typeof(ClusterDecision))]
[JsonSerializable(typeof(SwitchoverRequest))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
