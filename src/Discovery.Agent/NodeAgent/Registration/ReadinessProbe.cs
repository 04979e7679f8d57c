using System.Net;
using Discovery.Agent.NodeAgent.Configuration;
using Discovery.Agent.NodeAgent.Supervision;

namespace Discovery.Agent.NodeAgent.Registration;

/// <summary>Asks a freshly started instance's health path until it answers 200, within a bound.</summary>
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
        var host = spec.Address.Contains(':', StringComparison.Ordinal) ? $"[{spec.Address}]" : spec.Address;
        var url = new Uri($"http://{host}:{spec.Port}{spec.App.Health.Path}");
        var deadline = time.GetUtcNow() + bound;
        while (time.GetUtcNow() < deadline)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(spec.App.Health.Timeout);
            try
            {
                using var response = await Http.GetAsync(url, attempt.Token).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (Exception error) when (error is HttpRequestException || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // not listening yet, or too slow: try again
            }

            await Task.Delay(Step, time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
