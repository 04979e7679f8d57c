using System.Net;
using System.Net.Sockets;
using Discovery.Core.NodeAgent.Configuration;

namespace Discovery.Core.NodeAgent.Supervision;

/// <summary>Finds a free port in an app's range on the advertise address.</summary>
public static class PortAllocator
{
    /// <summary>
    /// The lowest port in <paramref name="range"/> that is not in <paramref name="taken"/> and can be
    /// bound right now; null when none. Another process may still grab it before the instance binds;
    /// the instance then exits and the supervisor's restart policy takes over.
    /// </summary>
    public static int? FindFreePort(IPAddress address, PortRange range, IReadOnlySet<int> taken)
    {
        for (var port = range.First; port <= range.Last; port++)
        {
            if (!taken.Contains(port) && CanBind(address, port))
            {
                return port;
            }
        }

        return null;
    }

    public static bool CanBind(IPAddress address, int port)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>True when something accepts TCP connections on address:port within the timeout.</summary>
    public static async Task<bool> IsListeningAsync(IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), timeoutSource.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is SocketException || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
