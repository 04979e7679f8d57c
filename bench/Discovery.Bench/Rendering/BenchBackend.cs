using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Discovery.Bench.Rendering;

/// <summary>A real HTTP backend (Kestrel) on loopback: <c>/</c> answers its name, <c>/health</c> 200 or 503 as set.</summary>
internal sealed class BenchBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healthy = true;

    private BenchBackend(WebApplication app, string name, IPAddress address, int port)
    {
        _app = app;
        Name = name;
        Address = address;
        Port = port;
    }

    public string Name { get; }

    public IPAddress Address { get; }

    public int Port { get; }

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    public static async Task<BenchBackend> StartAsync(string name, IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(address, port));
        var app = builder.Build();
        BenchBackend? backend = null;
        app.MapGet("/health", (HttpContext context) =>
        {
            context.Response.StatusCode = backend!.Healthy ? 200 : 503;
            return backend.Healthy ? "ok" : "failing";
        });
        app.MapGet("/{**path}", () => name);
        backend = new BenchBackend(app, name, address, port);
        await app.StartAsync();
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
