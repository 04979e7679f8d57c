namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// nginx's own view of its peers (GET on the peer endpoint): the canonical text it routes by, its
/// version (0 = nothing loaded) and where it came from ("push", or "file &lt;path&gt;" after a start).
/// </summary>
/// <param name="Apps">The apps this nginx has an upstream for; null when it did not say (then every peer counts).</param>
internal sealed record PeerEndpointView(string Text, long Version, string Source, PeerSet Set, IReadOnlySet<string>? Apps = null)
{
    /// <summary>Instance IDs nginx can route to now: its peers of apps it has an upstream for, sorted.</summary>
    public IReadOnlyList<string> RoutedInstanceIds() =>
        Apps is null ? Set.InstanceIds() : (Set with { Peers = [.. Set.Peers.Where(peer => Apps.Contains(peer.App))] }).InstanceIds();
}
