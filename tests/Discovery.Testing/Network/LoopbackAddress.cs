using System.Net;
using System.Net.Sockets;

namespace Discovery.Testing.Network;

/// <summary>
/// Private loopback addresses and free ports for fixtures. Each fixture takes its own
/// 127.x.y.z (x in 100–199, so it never meets the lab's 127.0.0.x) so parallel tests cannot
/// collide on ports or on "which Consul agent am I talking to".
/// </summary>
public static class LoopbackAddress
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Taken = new();

    /// <summary>A random loopback address that nothing in this test run has taken.</summary>
    public static IPAddress Allocate()
    {
        while (true)
        {
            var address = new IPAddress([127, (byte)Random.Shared.Next(100, 200), (byte)Random.Shared.Next(0, 256), (byte)Random.Shared.Next(1, 255)]);
            if (Taken.TryAdd(address.ToString(), 0))
            {
                return address;
            }
        }
    }

    /// <summary>A port that is free on <paramref name="address"/> right now (the OS picks it).</summary>
    public static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Distinct free ports on <paramref name="address"/>, free for both TCP and UDP (Consul's serf needs both).</summary>
    public static int[] FreePorts(IPAddress address, int count)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            var port = FreePort(address);
            if (UdpFree(address, port))
            {
                ports.Add(port);
            }
        }

        return [.. ports];
    }

    private static bool UdpFree(IPAddress address, int port)
    {
        try
        {
            using var udp = new UdpClient(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
