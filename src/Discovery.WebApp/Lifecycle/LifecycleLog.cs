using System.Net;
using Microsoft.Extensions.Logging;

namespace Discovery.WebApp.Lifecycle;

/// <summary>One line per lifecycle step; tests and operators wait on these exact phrases.</summary>
internal static partial class LifecycleLog
{
    [LoggerMessage(1, LogLevel.Information, "starting app={App} version={Version} node={Node} instance={Instance} pid={Pid} startup-delay={StartupDelayMs}ms drain-timeout={DrainTimeoutSeconds}s")]
    public static partial void Starting(ILogger logger, string app, string version, string node, string instance, int pid, double startupDelayMs, double drainTimeoutSeconds);

    [LoggerMessage(2, LogLevel.Information, "listening on http://{EndPoint}")]
    public static partial void Listening(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(3, LogLevel.Information, "serving: /health is 200")]
    public static partial void Serving(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "draining: /health is 503, no new connections, waiting up to {DrainTimeoutSeconds}s for {InFlight} in-flight request(s)")]
    public static partial void Draining(ILogger logger, double drainTimeoutSeconds, int inFlight);

    [LoggerMessage(5, LogLevel.Information, "stopped after {DrainMilliseconds}ms of draining, every in-flight request finished")]
    public static partial void Stopped(ILogger logger, long drainMilliseconds);

    [LoggerMessage(7, LogLevel.Warning, "stopped after {DrainMilliseconds}ms of draining, {Aborted} request(s) aborted (drain timeout reached or client gone)")]
    public static partial void StoppedWithAbortedRequests(ILogger logger, long drainMilliseconds, int aborted);

    [LoggerMessage(6, LogLevel.Critical, "could not start on http://{EndPoint}: {Reason}")]
    public static partial void StartFailed(ILogger logger, IPEndPoint endPoint, string reason);
}
