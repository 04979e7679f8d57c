using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Discovery.Core.Scaling.Store;

namespace Discovery.Core.Scaling.Evaluation;

/// <summary>camelCase JSON for <see cref="ScalingState"/>, as the leader stores it in KV.</summary>
internal static class ScalingStateJson
{
    public static string Write(ScalingState state) => JsonSerializer.Serialize(state, ScalerJsonContext.Default.ScalingState);

    /// <summary>
    /// Reads stored state; false with the reason for garbage. The caller then starts from
    /// <see cref="ScalingState.Empty"/> and logs why (losing cooldowns beats not scaling at all).
    /// </summary>
    public static bool TryRead(string? json, [NotNullWhen(true)] out ScalingState? state, [NotNullWhen(false)] out string? error)
    {
        state = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "scaling state: empty value";
            return false;
        }

        try
        {
            state = JsonSerializer.Deserialize(json, ScalerJsonContext.Default.ScalingState);
        }
        catch (JsonException e)
        {
            error = $"scaling state: {e.Message}";
            return false;
        }

        if (state is null)
        {
            error = "scaling state: null";
            return false;
        }

        // Source-generated JSON sets every init-only property, so a missing "recommendations" comes
        // back null rather than the property's [] default: no recommendations, like an empty window.
        state = state with { Recommendations = state.Recommendations ?? [] };
        if (state.Recommendations.Any(r => r is null))
        {
            state = null;
            error = "scaling state: recommendations contain null";
            return false;
        }

        error = null;
        return true;
    }
}
