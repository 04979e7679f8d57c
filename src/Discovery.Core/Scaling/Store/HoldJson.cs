using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Discovery.Core.Scaling.Evaluation;
using Discovery.Core.Scaling.Policies;

namespace Discovery.Core.Scaling.Store;

/// <summary>
/// The manual hold at <c>apps/&lt;app&gt;/hold</c>: <c>{"count":3,"until":"2026-01-01T10:00:00Z","reason":"…"}</c>.
/// Written by <c>agent scale</c>, honoured by the leader.
/// </summary>
internal static class HoldJson
{
    public static string Write(ManualHold hold) => JsonSerializer.Serialize(
        new HoldDocument(hold.Count, hold.Until.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), string.IsNullOrWhiteSpace(hold.Reason) ? null : hold.Reason, hold.Forced ? true : null),
        ScalerJsonContext.Default.HoldDocument);

    public static bool TryRead(string? json, [NotNullWhen(true)] out ManualHold? hold, [NotNullWhen(false)] out string? error)
    {
        hold = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "hold: empty value";
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "hold: must be a JSON object {count, until, reason}";
                return false;
            }

            if (!root.TryGetProperty("count", out var countElement) || countElement.ValueKind != JsonValueKind.Number || !countElement.TryGetInt32(out var count) || count < 0 || count > ScalingPolicyBinder.MaxInstances)
            {
                error = $"hold.count: must be an integer from 0 to {ScalingPolicyBinder.MaxInstances}";
                return false;
            }

            if (!root.TryGetProperty("until", out var untilElement) || untilElement.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParse(untilElement.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var until))
            {
                error = "hold.until: must be an ISO 8601 time";
                return false;
            }

            var reason = root.TryGetProperty("reason", out var reasonElement) && reasonElement.ValueKind == JsonValueKind.String
                ? reasonElement.GetString()
                : null;
            var forced = root.TryGetProperty("force", out var forceElement) && forceElement.ValueKind == JsonValueKind.True;
            hold = new ManualHold(count, until, reason, forced);
            error = null;
            return true;
        }
        catch (JsonException e)
        {
            error = $"hold: not valid JSON: {e.Message}";
            return false;
        }
    }
}
