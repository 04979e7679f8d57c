using System.Net.Http.Json;
using System.Threading.Channels;
using Discovery.Core.Observability;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Discovery.Core.Scaling.Alerts;

/// <summary>
/// POSTs alert events as JSON, one at a time in order, each retried with jittered exponential
/// backoff (a receiver that restarts gets its events late, not never). The queue is bounded: when a
/// receiver is down for long, new events beyond <see cref="Capacity"/> are dropped and counted
/// (<c>discovery_alert_notifications_total{outcome="dropped"}</c>) rather than growing memory.
/// </summary>
internal sealed partial class WebhookSender : IAsyncDisposable
{
    public const int Capacity = 256;

    private readonly Channel<(Uri Webhook, AlertEvent Event)> _queue = Channel.CreateBounded<(Uri, AlertEvent)>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly HttpClient _http;
    private readonly ResiliencePipeline _retry;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _worker;

    public WebhookSender(HttpClient http, TimeProvider time, ILogger logger, int maxRetries = 5)
    {
        _http = http;
        _logger = logger;
        _retry = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TaskCanceledException>(),
                MaxRetryAttempts = maxRetries,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(10),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddTimeout(TimeSpan.FromSeconds(5))
            .Build();
        _worker = Task.Run(() => SendAllAsync(_stop.Token), CancellationToken.None);
    }

    /// <summary>Queues an event; false (and counted as dropped) when the queue is full.</summary>
    public bool Enqueue(Uri webhook, AlertEvent alert)
    {
        if (_queue.Writer.TryWrite((webhook, alert)))
        {
            return true;
        }

        ScalerMetrics.AlertNotifications.WithLabels("dropped").Inc();
        LogDropped(alert.Rule, alert.Status, webhook);
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _worker.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stop.Dispose();
    }

    private async Task SendAllAsync(CancellationToken cancellationToken)
    {
        await foreach (var (webhook, alert) in _queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _retry.ExecuteAsync(async ct =>
                {
                    using var response = await _http.PostAsJsonAsync(webhook, alert, AlertJsonContext.Default.AlertEvent, ct).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                }, cancellationToken).ConfigureAwait(false);
                ScalerMetrics.AlertNotifications.WithLabels("sent").Inc();
                LogSent(alert.Rule, alert.Status, webhook);
            }
            catch (Exception error) when (error is HttpRequestException or Polly.Timeout.TimeoutRejectedException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                ScalerMetrics.AlertNotifications.WithLabels("failed").Inc();
                LogGaveUp(alert.Rule, alert.Status, webhook, error.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "alert {Rule} {Status} sent to {Webhook}")]
    private partial void LogSent(string rule, string status, Uri webhook);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Rule} {Status} not delivered to {Webhook} after retries: {Reason}")]
    private partial void LogGaveUp(string rule, string status, Uri webhook, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert queue full: {Rule} {Status} for {Webhook} dropped")]
    private partial void LogDropped(string rule, string status, Uri webhook);
}
