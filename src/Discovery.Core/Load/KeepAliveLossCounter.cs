using System.Net.Sockets;

namespace Discovery.Core.Load;

/// <summary>
/// Counts what .NET's HttpClient hides from a load's figures when the server closes keep-alive
/// connections (an nginx reload closes every idle one):
/// <list type="bullet">
/// <item><see cref="Resent"/>: requests SocketsHttpHandler sent a second time on a new connection,
/// because the reused one closed before any byte of the answer arrived;</item>
/// <item><see cref="ClosedWhileIdle"/>: keep-alive connections the server closed between requests
/// without announcing it; HttpClient's pool notices before reusing one, a client that does not
/// check sends its next request into it.</item>
/// </list>
/// A client without retries — wrk, curl scripts, any POST — gets an error in both cases (wrk: a
/// read error), so they count as failures when a load must mean what wrk's numbers mean. The
/// handler this class makes watches every connection it opens (<see cref="WatchedConnectionStream"/>).
/// </summary>
internal sealed class KeepAliveLossCounter
{
    private long _resent;
    private long _closedWhileIdle;

    public long Resent => Interlocked.Read(ref _resent);

    public long ClosedWhileIdle => Interlocked.Read(ref _closedWhileIdle);

    /// <summary>Both: at most what a client without retries would have seen fail.</summary>
    public long Count => Resent + ClosedWhileIdle;

    /// <summary>A handler like the plain one, whose connections report to this counter.</summary>
    public SocketsHttpHandler CreateHandler(int maxConnectionsPerServer) => new()
    {
        MaxConnectionsPerServer = maxConnectionsPerServer,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        UseProxy = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                return new WatchedConnectionStream(new NetworkStream(socket, ownsSocket: true), this);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    internal void CountResent() => Interlocked.Increment(ref _resent);

    internal void CountClosedWhileIdle() => Interlocked.Increment(ref _closedWhileIdle);
}
