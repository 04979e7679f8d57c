namespace Discovery.Core.Rendering.Peers;

/// <summary>What nginx said to a push: the version it now routes by, and the lines it skipped with why.</summary>
internal sealed record PeerPushResult(long Version, string Summary, IReadOnlyList<string> Problems);
