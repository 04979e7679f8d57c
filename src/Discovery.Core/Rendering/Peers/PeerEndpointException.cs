namespace Discovery.Core.Rendering.Peers;

/// <summary>nginx's peer endpoint could not be reached, refused a request, or answered something unusable.</summary>
public sealed class PeerEndpointException : Exception
{
    public PeerEndpointException()
    {
    }

    public PeerEndpointException(string message)
        : base(message)
    {
    }

    public PeerEndpointException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>True when nginx did not answer at all (not running, or still starting).</summary>
    public bool Unreachable { get; init; }
}
