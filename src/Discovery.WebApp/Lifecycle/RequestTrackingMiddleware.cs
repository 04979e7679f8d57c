using Discovery.WebApp.Endpoints;
using Microsoft.AspNetCore.Http;

namespace Discovery.WebApp.Lifecycle;

/// <summary>
/// Counts requests in flight and those cut off while draining, so the drain log can say how many
/// requests shutdown waited for and whether the drain timeout cut any of them off.
/// </summary>
internal sealed class RequestTrackingMiddleware(RequestDelegate next, RequestStatistics statistics, ServingStatus status)
{
    public async Task InvokeAsync(HttpContext context)
    {
        statistics.RequestStarted();
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
        }
    }
}
