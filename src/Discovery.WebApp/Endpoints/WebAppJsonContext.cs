using System.Text.Json.Serialization;
using Discovery.WebApp.Flags;

namespace Discovery.WebApp.Endpoints;

/// <summary>
/// Source-generated serializers: no reflection at run time, so the first request does not pay for
/// building converters (cold start matters) and the app stays trimming/AOT-friendly.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IdentityResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(FlagFile))]
[JsonSerializable(typeof(StatsResponse))]
internal sealed partial class WebAppJsonContext : JsonSerializerContext;
