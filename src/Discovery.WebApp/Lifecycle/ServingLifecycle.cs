using Discovery.WebApp.Settings;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Discovery.WebApp.Lifecycle;

/// <summary>
/// Moves the instance through its phases: listening → (startup delay) → serving, and on
/// SIGTERM/SIGINT straight to draining. The host's own shutdown (HostOptions.ShutdownTimeout =
/// drain timeout) then closes the listener and waits for in-flight requests.
/// </summary>
internal sealed class ServingLifecycle(
    WebAppSettings settings,
    ServingStatus status,
    RequestStatistics statistics,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<ServingLifecycle> logger) : BackgroundService
{
    private long _drainStartedTimestamp;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // ApplicationStopping fires synchronously inside StopApplication, before the server stops,
        // so /health already answers 503 on the connections that are still open while Kestrel unbinds.
        lifetime.ApplicationStopping.Register(OnStopping);
        lifetime.ApplicationStopped.Register(OnStopped);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitUntilStartedAsync(stoppingToken);
        if (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        LifecycleLog.Listening(logger, settings.EndPoint);
        if (settings.StartupDelay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(settings.StartupDelay, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return; // stopped while still starting: never report serving
            }
        }

        if (status.TryMarkServing())
        {
            LifecycleLog.Serving(logger);
        }
    }

    private async Task WaitUntilStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetResult());
        await started.Task;
    }

    private void OnStopping()
    {
        status.MarkDraining();
        Interlocked.Exchange(ref _drainStartedTimestamp, timeProvider.GetTimestamp());
        LifecycleLog.Draining(logger, settings.DrainTimeout.TotalSeconds, statistics.InFlight);
    }

    private void OnStopped()
    {
        var drained = timeProvider.GetElapsedTime(Interlocked.Read(ref _drainStartedTimestamp));
        var aborted = statistics.AbortedWhileDraining + statistics.InFlight;
        if (aborted == 0)
        {
            LifecycleLog.Stopped(logger, (long)drained.TotalMilliseconds);
        }
        else
        {
            LifecycleLog.StoppedWithAbortedRequests(logger, (long)drained.TotalMilliseconds, aborted);
        }
    }
}
