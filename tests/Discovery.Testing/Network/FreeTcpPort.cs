using System.Net;
using System.Net.Sockets;

namespace Discovery.Testing.Network;

/// <summary>Free TCP ports for fixtures, so tests running in parallel never fight over a fixed port.</summary>
public static class FreeTcpPort
{
    /// <summary>
    /// A port that was free on <paramref name="address"/> a moment ago (the OS picked it). Another
    /// process could take it before the caller binds; the ephemeral range is large enough that
    /// this is rare, and a test then fails loudly with "address in use" rather than silently.
    /// </summary>
    public static int Find(IPAddress address)
    {
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
