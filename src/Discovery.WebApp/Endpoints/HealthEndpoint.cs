using Discovery.WebApp.Lifecycle;
using Discovery.WebApp.Settings;
using Microsoft.AspNetCore.Http;

namespace Discovery.WebApp.Endpoints;

/// <summary><c>GET /health</c>: 200 only while serving, 503 while starting or draining, so checks take the instance out of rotation.</summary>
internal sealed class HealthEndpoint(ServingStatus status, WebAppSettings settings)
{
    private static readonly HealthResponse ServingBody = new("serving");
    private static readonly HealthResponse StartingBody = new("starting");
    private static readonly HealthResponse DrainingBody = new("draining");
    private static readonly HealthResponse FailingBody = new("failing");

    public Task HandleAsync(HttpContext context)
    {
        var (statusCode, body) = status.Phase switch
        {
            ServingPhase.Serving when settings.Failure.FailHealth => (StatusCodes.Status503ServiceUnavailable, FailingBody),
            ServingPhase.Serving => (StatusCodes.Status200OK, ServingBody),
            ServingPhase.Starting => (StatusCodes.Status503ServiceUnavailable, StartingBody),
            _ => (StatusCodes.Status503ServiceUnavailable, DrainingBody),
        };
        context.Response.StatusCode = statusCode;
        // Health answers must never be cached by a proxy between the checker and the app.
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, WebAppJsonContext.Default.HealthResponse, cancellationToken: context.RequestAborted);
    }
}
