using System.Text.Json.Serialization;

namespace Discovery.Core.Scaling.Alerts;

/// <summary>Source-generated JSON of the webhook events (the native agent has no reflection JSON).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AlertEvent))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
