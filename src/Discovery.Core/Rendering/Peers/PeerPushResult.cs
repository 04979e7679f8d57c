namespace Discovery.Core.Rendering.Peers;

/// <summary>What nginx said to a push: its summary, the lines it skipped with why, and the set it routes by now.</summary>
internal sealed record PeerPushResult(string Summary, IReadOnlyList<string> Problems, PeerEndpointView View);
