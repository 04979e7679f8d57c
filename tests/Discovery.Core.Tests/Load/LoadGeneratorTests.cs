using System.Net;
using Discovery.Core.Load;
using Discovery.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Discovery.Core.Tests.Load;

/// <summary>The load generator against a real Kestrel server on its own loopback address.</summary>
public sealed class LoadGeneratorTests : IAsyncLifetime
{
    private readonly IPAddress _address = LoopbackAddress.Allocate();
    private WebApplication _server = null!;
    private int _port;
    private int _hostHeaderHits;

    public async Task InitializeAsync()
    {
        _port = LoopbackAddress.FreePort(_address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{_address}:{_port}");
        _server = builder.Build();
        _server.MapGet("/ok", (HttpContext context) =>
        {
            if (context.Request.Host.Host == "web.lab")
            {
                Interlocked.Increment(ref _hostHeaderHits);
            }

            return "ok";
        });
        _server.MapGet("/fail", () => Results.StatusCode(503));
        await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RunAsync_HealthyServer_SendsExactlyThePlannedCountAllOk()
    {
        var options = new LoadOptions(new Uri($"http://{_address}:{_port}/ok"), 1200, TimeSpan.FromSeconds(1), 4, "web.lab");
        using var handler = new SocketsHttpHandler();

        var summary = await new LoadGenerator(handler, TimeProvider.System).RunAsync(options, null, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal((20L, 20L, 20L, 0L), (summary.Planned, summary.Sent, summary.Ok, summary.Failed));
        Assert.Equal(20, _hostHeaderHits);
        Assert.NotNull(summary.P50);
        Assert.True(summary.P99 >= summary.P50);
    }

    [Fact]
    public async Task RunAsync_ServerAnswers503_CountsEveryRequestAsFailedByStatus()
    {
        var options = new LoadOptions(new Uri($"http://{_address}:{_port}/fail"), 600, TimeSpan.FromSeconds(1));
        using var handler = new SocketsHttpHandler();

        var summary = await new LoadGenerator(handler, TimeProvider.System).RunAsync(options, null, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal((10L, 0L, 10L), (summary.Sent, summary.Ok, summary.Failed));
        Assert.Equal(10L, summary.FailuresByReason["503"]);
        Assert.Null(summary.P50);
    }

    [Fact]
    public async Task RunAsync_NothingListening_CountsConnectionErrors()
    {
        var closedPort = LoopbackAddress.FreePort(_address);
        var options = new LoadOptions(new Uri($"http://{_address}:{closedPort}/"), 600, TimeSpan.FromSeconds(0.5));
        using var handler = new SocketsHttpHandler();

        var summary = await new LoadGenerator(handler, TimeProvider.System).RunAsync(options, null, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal((5L, 5L), (summary.Sent, summary.Failed));
        Assert.Equal(5L, summary.FailuresByReason["ConnectionError"]);
    }

    [Theory]
    [InlineData(new[] { 5 }, 50, 5)]
    [InlineData(new[] { 1, 2, 3, 4 }, 50, 2)]
    [InlineData(new[] { 1, 2, 3, 4 }, 99, 4)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 90, 9)]
    [InlineData(new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 }, 100, 10)]
    public void Of_SortedLatencies_NearestRank(int[] milliseconds, double percentile, int expected)
    {
        var sorted = milliseconds.Select(ms => TimeSpan.FromMilliseconds(ms)).ToList();

        Assert.Equal(TimeSpan.FromMilliseconds(expected), LatencyPercentiles.Of(sorted, percentile));
    }

    [Theory]
    [InlineData("http://127.0.0.5:8080/", 60, 1, 1, 0)]
    [InlineData("http://localhost/", 60, 1, 1, 0)]
    [InlineData("http://10.1.2.3/", 60, 1, 1, 1)]
    [InlineData("http://127.0.0.1/", 0, 1, 1, 1)]
    [InlineData("http://127.0.0.1/", 60, 0, 1, 1)]
    [InlineData("http://127.0.0.1/", 60, 1, 0, 1)]
    [InlineData("ftp://127.0.0.1/", 60, 1, 1, 1)]
    public void Validate_Options_ErrorCount(string url, int rpm, double seconds, int concurrency, int errors)
    {
        var options = new LoadOptions(new Uri(url), rpm, TimeSpan.FromSeconds(seconds), concurrency);

        Assert.Equal(errors, options.Validate().Count);
    }

    [Theory]
    [InlineData(60, 60, 60)]
    [InlineData(100, 30, 50)]
    [InlineData(7, 10, 2)]
    public void TotalRequests_RateAndDuration_IsTheBound(int rpm, int seconds, long expected) =>
        Assert.Equal(expected, new LoadOptions(new Uri("http://127.0.0.1/"), rpm, TimeSpan.FromSeconds(seconds)).TotalRequests);
}
