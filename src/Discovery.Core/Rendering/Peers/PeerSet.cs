namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// A parsed peer set: the lines that passed validation, in order, and why the others were skipped
/// (<c>line n: reason</c>, at most <see cref="PeerSetText.MaxProblems"/> of them).
/// </summary>
internal sealed record PeerSet(IReadOnlyList<PeerEntry> Peers, IReadOnlyList<string> Problems, int Skipped)
{
    public static readonly PeerSet Empty = new([], [], 0);

    /// <summary>The instance IDs of every peer, sorted and without duplicates: what <c>routed</c> publishes.</summary>
    public IReadOnlyList<string> InstanceIds() =>
        [.. Peers.Select(peer => peer.InstanceId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
