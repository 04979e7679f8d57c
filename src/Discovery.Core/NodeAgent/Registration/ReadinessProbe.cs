using System.Net;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Supervision;

namespace Discovery.Core.NodeAgent.Registration;

/// <summary>Asks an instance's health path (once, or until it answers 200 within a bound): registration and adoption share it.</summary>
internal static class ReadinessProbe
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false });

    /// <summary>How long to wait: three check intervals, at most 3 s (a slow starter is then left to Consul's check).</summary>
    public static TimeSpan Bound(HealthCheckConfig health)
    {
        var three = health.Interval * 3;
        return three < TimeSpan.FromSeconds(3) ? three : TimeSpan.FromSeconds(3);
    }

    public static async Task<bool> WaitUntilHealthyAsync(InstanceSpec spec, TimeSpan bound, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + bound;
        while (time.GetUtcNow() < deadline)
        {
            if (await IsHealthyAsync(spec.Address, spec.Port, spec.App.Health, time, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            await Task.Delay(Step, time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    /// <summary>One GET of the health path within the configured timeout: true only for 200 (as the HTTP check's passing, minus 2xx leniency).</summary>
    public static async Task<bool> IsHealthyAsync(string address, int port, HealthCheckConfig health, TimeProvider time, CancellationToken cancellationToken)
    {
        var host = address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address;
        using var timeout = new CancellationTokenSource(health.Timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await Http.GetAsync(new Uri($"http://{host}:{port}{health.Path}"), attempt.Token).ConfigureAwait(false);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception error) when (error is HttpRequestException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false; // not listening yet, or too slow
        }
    }
}
