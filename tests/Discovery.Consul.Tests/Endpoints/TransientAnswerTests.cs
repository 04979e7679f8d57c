using System.Net;
using Discovery.Consul.Resilience;
using Discovery.Testing.Network;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Discovery.Consul.Tests.Endpoints;

/// <summary>
/// 5xx answers (a Consul without a leader, a server restarting) against a real HTTP server that
/// plays Consul: reads are retried on the answer itself, writes never.
/// </summary>
public sealed class TransientAnswerTests : IAsyncLifetime
{
    private readonly Queue<int> _statuses = new();
    private WebApplication _server = null!;
    private Uri _address = null!;
    private int _requests;

    public async Task InitializeAsync()
    {
        var address = LoopbackAddress.Allocate();
        var port = LoopbackAddress.FreePort(address);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(address, port));
        _server = builder.Build();
        _server.Map("/{**path}", async (HttpContext context) =>
        {
            Interlocked.Increment(ref _requests);
            int status;
            lock (_statuses)
            {
                status = _statuses.Count > 0 ? _statuses.Dequeue() : 200;
            }

            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status == 200 ? "\"10.0.0.1:8300\"" : "No cluster leader");
        });
        await _server.StartAsync();
        _address = new Uri($"http://{address}:{port}");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Read_Two5xxThenAnswer_RetriedUntilAnswered()
    {
        Answer(500, 503);
        using var client = Client(maxRetries: 2);

        var leader = await client.Status.LeaderAsync();

        Assert.Equal("10.0.0.1:8300", leader);
        Assert.Equal(3, _requests);
    }

    [Fact]
    public async Task Read_5xxOutlastsRetries_ConsulApiExceptionWithTheStatus()
    {
        Answer(500, 500, 500);
        using var client = Client(maxRetries: 1);

        var error = await Assert.ThrowsAsync<ConsulApiException>(() => client.Status.LeaderAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Contains("No cluster leader", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, _requests);
    }

    [Fact]
    public async Task Write_5xx_NotRetried()
    {
        Answer(500);
        using var client = Client(maxRetries: 3);

        await Assert.ThrowsAsync<ConsulApiException>(() => client.KV.PutAsync("a", "b"u8.ToArray()));

        Assert.Equal(1, _requests);
    }

    private void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _statuses.Enqueue(status);
        }
    }

    private ConsulClient Client(int maxRetries) => new(new ConsulClientOptions
    {
        Address = _address,
        ReadRetry = new RetryOptions { MaxRetries = maxRetries, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50) },
    });
}
