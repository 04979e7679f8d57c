using System.Globalization;
using Discovery.WebApp.Endpoints;
using Discovery.WebApp.Flags;
using Discovery.WebApp.Lifecycle;
using Discovery.WebApp.Metrics;
using Discovery.WebApp.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace Discovery.WebApp.Hosting;

/// <summary>Builds the smallest host that does the job: Kestrel, routing, Serilog console logging, nothing else.</summary>
internal static class WebAppHost
{
    private const string LogTemplate = "{UtcTimestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {Level:u4} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static WebApplication Build(WebAppSettings settings, ProcessStart processStart)
    {
        // The empty builder reads no appsettings/environment configuration and adds no logging
        // providers. Besides faster start-up, that means no config-file watcher: each watcher
        // costs an inotify instance, and the lab runs many instances under one user.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(WebAppHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // nginx talks HTTP/1.1 to upstreams; skipping HTTP/2 keeps per-connection state small.
            kestrel.Listen(settings.EndPoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddRoutingCore();

        // The drain timeout is the host's shutdown budget: after SIGTERM Kestrel stops accepting,
        // waits this long for in-flight requests, then aborts what is left.
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = settings.DrainTimeout);

        // Serilog through its hosting integration, like every Discovery process: one line per event.
        // Our lifecycle lines are the log; the framework only speaks up when something is wrong.
        builder.Services.AddSerilog(logger => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .WriteTo.Console(outputTemplate: LogTemplate, formatProvider: CultureInfo.InvariantCulture));

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(processStart);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServingStatus>();
        builder.Services.AddSingleton<RequestStatistics>();
        builder.Services.AddSingleton<IdentityEndpoint>();
        builder.Services.AddSingleton<HealthEndpoint>();
        builder.Services.AddSingleton<RequestMetrics>();
        builder.Services.AddSingleton<MetricsEndpoint>();
        builder.Services.AddSingleton<StatsEndpoint>();
        builder.Services.AddHostedService<ServingLifecycle>();
        builder.Services.AddSingleton<FeatureFlags>();
        builder.Services.AddHostedService(services => services.GetRequiredService<FeatureFlags>());

        var app = builder.Build();
        var statistics = app.Services.GetRequiredService<RequestStatistics>();
        var status = app.Services.GetRequiredService<ServingStatus>();
        var metrics = app.Services.GetRequiredService<RequestMetrics>();
        app.Use(next => new RequestTrackingMiddleware(next, statistics, status, metrics, TimeProvider.System).InvokeAsync);

        RequestDelegate identity = app.Services.GetRequiredService<IdentityEndpoint>().HandleAsync;
        RequestDelegate health = app.Services.GetRequiredService<HealthEndpoint>().HandleAsync;
        app.MapGet("/", identity);
        app.MapGet("/health", health);
        app.MapGet("/metrics", (RequestDelegate)app.Services.GetRequiredService<MetricsEndpoint>().HandleAsync);
        app.MapGet(StatsEndpoint.Path, app.Services.GetRequiredService<StatsEndpoint>().HandleAsync);
        return app;
    }
}
