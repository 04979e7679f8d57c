using Discovery.WebApp.Metrics;
using Microsoft.AspNetCore.Http;
using Prometheus;

namespace Discovery.WebApp.Endpoints;

/// <summary><c>GET /metrics</c>: the app's request metrics as Prometheus text (written by prometheus-net).</summary>
internal sealed class MetricsEndpoint(RequestMetrics metrics)
{
    public async Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }
}
