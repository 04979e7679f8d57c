using Discovery.WebApp.Flags;
using Discovery.WebApp.Lifecycle;
using Discovery.WebApp.Settings;
using Microsoft.AspNetCore.Http;

namespace Discovery.WebApp.Endpoints;

/// <summary>
/// <c>GET /[?delay=ms]</c>: who answered, so load balancing is visible from the client side.
/// A plain <see cref="RequestDelegate"/> rather than a minimal-API lambda: no request-delegate
/// compilation at start-up, nothing reflection-based, and the handler is easy to read.
/// </summary>
internal sealed class IdentityEndpoint(
    WebAppSettings settings,
    RequestStatistics statistics,
    ProcessStart processStart,
    FeatureFlags flags,
    TimeProvider timeProvider)
{
    public const string LoudGreeting = "loud-greeting";

    private readonly string _address = settings.Address.ToString();

    public async Task HandleAsync(HttpContext context)
    {
        var requestCount = statistics.CountIdentityRequest();
        var delayValues = context.Request.Query["delay"];
        if (delayValues.Count > 1 || !SimulatedDelay.TryParse(delayValues.Count == 1 ? delayValues[0] : null, out var delay))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(SimulatedDelay.Problem + "\n", context.RequestAborted);
            return;
        }

        if (settings.Failure.FailsRequest(requestCount))
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync($"{settings.App} {settings.Version}: failing on purpose (--failure)\n", context.RequestAborted);
            return;
        }

        if (delay > TimeSpan.Zero)
        {
            await SimulatedDelay.WaitAsync(delay, timeProvider, context.RequestAborted);
        }

        // The flag the sample app uses visibly: "loud-greeting" shouts the greeting.
        var applied = flags.For(context);
        var greeting = $"hello from {settings.App} {settings.Version}";
        var identity = new IdentityResponse(
            settings.App,
            settings.Version,
            settings.Node,
            settings.Instance,
            _address,
            settings.Port,
            Environment.ProcessId,
            Math.Round(processStart.Uptime.TotalSeconds, 3),
            requestCount,
            statistics.InFlight,
            applied.GetValueOrDefault(LoudGreeting) ? greeting.ToUpperInvariant() + "!" : greeting,
            applied);
        await context.Response.WriteAsJsonAsync(identity, WebAppJsonContext.Default.IdentityResponse, cancellationToken: context.RequestAborted);
    }
}
