namespace Discovery.Core.Status;

/// <summary>
/// The scaler holding apps/&lt;app&gt;/leader: its session, that session's node and name, and the key's
/// LockIndex, which is the fencing token (it grows with every acquisition).
/// </summary>
internal sealed record LeaderStatus(string Session, string? Node, string? SessionName, ulong FencingToken);
