using System.Text.Json;

namespace Discovery.Core.Status;

/// <summary>One entry of apps/&lt;app&gt;/history: its sequence key, a one-line summary, and the raw JSON the scaler wrote.</summary>
internal sealed record DecisionStatus(string Sequence, string Summary, JsonElement? Raw);
