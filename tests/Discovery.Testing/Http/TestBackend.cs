using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Discovery.Testing.Http;

/// <summary>
/// A tiny real HTTP backend (Kestrel) on a loopback address: <c>/</c> answers its name (or 503 while
/// <see cref="FailAllRequests"/>), <c>/health</c> answers 200 or 503 as the test sets it.
/// </summary>
public sealed class TestBackend : IAsyncDisposable
{
    private readonly WebApplication _app;
    private volatile bool _healthy = true;
    private volatile bool _failAll;

    private TestBackend(WebApplication app, string name, IPAddress address, int port)
    {
        _app = app;
        Name = name;
        Address = address;
        Port = port;
    }

    public string Name { get; }

    public IPAddress Address { get; }

    public int Port { get; }

    public string HealthUrl => $"http://{Address}:{Port}/health";

    public bool Healthy
    {
        get => _healthy;
        set => _healthy = value;
    }

    /// <summary>While true, <c>/</c> answers 503 (a dying instance, for retry tests).</summary>
    public bool FailAllRequests
    {
        get => _failAll;
        set => _failAll = value;
    }

    public static async Task<TestBackend> StartAsync(string name, IPAddress address, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(address, port));
        var app = builder.Build();
        TestBackend? backend = null;
        app.MapGet("/health", (HttpContext context) =>
        {
            context.Response.StatusCode = backend!.Healthy ? 200 : 503;
            return backend.Healthy ? "ok" : "failing";
        });
        app.MapGet("/{**path}", (HttpContext context) =>
        {
            context.Response.StatusCode = backend!.FailAllRequests ? 503 : 200;
            return backend.FailAllRequests ? "failing" : name;
        });
        backend = new TestBackend(app, name, address, port);
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
