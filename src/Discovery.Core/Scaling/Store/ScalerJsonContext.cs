using System.Text.Json.Serialization;
using Discovery.Core.Deploying;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Store;

/// <summary>
/// The one JSON approach for everything the scaler and <c>agent scale</c> write to KV: source-generated
/// (as the Consul client's own JSON), camelCase, indented so the Consul UI shows it readably, nulls left out.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(ScalingPolicyDocument))]
[JsonSerializable(typeof(HoldDocument))]
[JsonSerializable(typeof(DecisionRecord))]
[JsonSerializable(typeof(ScalingState))]
[JsonSerializable(typeof(DeployState))]
[JsonSerializable(typeof(DeployRequest))]
internal sealed partial class ScalerJsonContext : JsonSerializerContext;
