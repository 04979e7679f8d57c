using System.Net;
using System.Net.Sockets;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.Tests.NodeAgent.Supervision;

public sealed class PortAllocatorTests
{
    [Fact]
    public async Task FindFreePort_PortsTakenOrBound_SkipsThem()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var bound = ((IPEndPoint)listener.LocalEndpoint).Port;
        var range = new PortRange(bound, Math.Min(bound + 20, 65535));

        var port = PortAllocator.FindFreePort(IPAddress.Loopback, range, new HashSet<int> { bound + 1 });

        Assert.NotNull(port);
        Assert.NotEqual(bound, port);
        Assert.NotEqual(bound + 1, port);
        Assert.True(range.Contains(port.Value));
        Assert.True(await PortAllocator.IsListeningAsync(IPAddress.Loopback, bound, TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    [Fact]
    public void FindFreePort_EveryPortBound_ReturnsNull()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var bound = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Null(PortAllocator.FindFreePort(IPAddress.Loopback, new PortRange(bound, bound), new HashSet<int>()));
    }
}
