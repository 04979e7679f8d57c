using Discovery.WebApp.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Discovery.WebApp.Endpoints;

/// <summary>
/// <c>GET /stats</c>: requests answered and how many with a 5xx status since the process started.
/// The deploying scaler leader reads it from each new-version instance to revert a version whose
/// error share passes the deploy's threshold (Discovery's convention for apps that want that check).
/// </summary>
internal sealed class StatsEndpoint(RequestStatistics statistics)
{
    public const string Path = "/stats";

    public Task HandleAsync(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new StatsResponse(statistics.Served, statistics.ServerErrors), WebAppJsonContext.Default.StatsResponse, cancellationToken: context.RequestAborted);
    }
}
