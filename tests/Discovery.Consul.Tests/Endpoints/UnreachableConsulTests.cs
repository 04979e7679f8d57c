using Discovery.Consul.Resilience;
using System.Diagnostics;
using Discovery.Testing.Network;

namespace Discovery.Consul.Tests.Endpoints;

public sealed class UnreachableConsulTests
{
    [Fact]
    public async Task Read_NothingListening_ClearErrorWithinTimeout()
    {
        var address = LoopbackAddress.Allocate();
        var port = LoopbackAddress.FreePort(address);
        using var client = new ConsulClient(new ConsulClientOptions
        {
            Address = new Uri($"http://{address}:{port}"), RequestTimeout = TimeSpan.FromSeconds(1), ReadRetry = new RetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(50) },
        });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ConsulUnavailableException>(() => client.KV.GetAsync("any"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains($"{address}:{port}", error.Message);
        Assert.Contains("unreachable", error.Message);
        Assert.Equal("/v1/kv/any", error.Endpoint);
    }

    [Fact]
    public async Task Write_SilentPeer_TimesOutWithClearError()
    {
        // A listener that accepts but never answers: the request must end at RequestTimeout.
        var address = LoopbackAddress.Allocate();
        using var silent = new System.Net.Sockets.TcpListener(address, 0);
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        using var client = new ConsulClient(new ConsulClientOptions { Address = new Uri($"http://{address}:{port}"), RequestTimeout = TimeSpan.FromMilliseconds(500) });

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ConsulUnavailableException>(() => client.KV.PutStringAsync("k", "v"));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
        Assert.Contains("no answer within 500ms", error.Message);
    }

    [Theory]
    [InlineData("127.0.0.1:8500", "http://127.0.0.1:8500/")]
    [InlineData("http://10.0.0.1:1234", "http://10.0.0.1:1234/")]
    [InlineData("https://consul.local:8501", "https://consul.local:8501/")]
    public void ParseAddress_AcceptedForms_Normalised(string text, string expected) =>
        Assert.Equal(expected, ConsulClientOptions.ParseAddress(text).ToString());

    [Theory]
    [InlineData("ftp://x:1")]
    [InlineData("::::")]
    public void ParseAddress_Garbage_Throws(string text) =>
        Assert.Throws<ArgumentException>(() => ConsulClientOptions.ParseAddress(text));

    [Fact]
    public async Task CancelledCaller_IsNotReportedAsOutage()
    {
        using var client = new ConsulClient(new ConsulClientOptions { Address = new Uri("http://127.0.0.1:1") });
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.KV.GetAsync("k", cancellationToken: cancelled.Token));
    }
}
