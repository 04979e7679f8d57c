namespace Discovery.Core.Rendering.Peers;

/// <summary>
/// nginx's own view of its peers (GET on the peer endpoint): the canonical text it routes by, its
/// version (0 = nothing loaded) and where it came from ("push", or "file &lt;path&gt;" after a start).
/// </summary>
internal sealed record PeerEndpointView(string Text, long Version, string Source, PeerSet Set);
