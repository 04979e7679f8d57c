using Discovery.WebApp.Metrics;
using Discovery.WebApp.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Discovery.WebApp.Lifecycle;

/// <summary>
/// Counts requests in flight and those cut off while draining, so the drain log can say how many
/// requests shutdown waited for and whether the drain timeout cut any of them off; and feeds the
/// request metrics of <c>/metrics</c>.
/// </summary>
internal sealed class RequestTrackingMiddleware(RequestDelegate next, RequestStatistics statistics, ServingStatus status, RequestMetrics metrics, TimeProvider time)
{
    public async Task InvokeAsync(HttpContext context)
    {
        statistics.RequestStarted();
        metrics.InFlight.Inc();
        var started = time.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (context.RequestAborted.IsCancellationRequested && status.Phase == ServingPhase.Draining)
            {
                statistics.RequestAbortedWhileDraining();
            }

            if (context.Request.Path != "/health" && context.Request.Path != StatsEndpoint.Path)
            {
                statistics.CountAnswer(context.Response.StatusCode);
            }

            statistics.RequestFinished();
            metrics.InFlight.Dec();
            var path = RequestMetrics.PathLabel(context.Request.Path.Value);
            metrics.Requests.WithLabels(path, context.Request.Method, context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
            metrics.Duration.WithLabels(path).Observe(time.GetElapsedTime(started).TotalSeconds);
        }
    }
}
