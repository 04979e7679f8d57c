using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Discovery.Core.Observability;

/// <summary>
/// Serves <c>GET /health</c> (200 "ok", or 503 with one reason per line) and <c>GET /metrics</c>
/// (Prometheus text, written by prometheus-net from <see cref="MetricCatalog.Registry"/>) on the
/// <c>monitoring.listen</c> address. HttpListener rather than Kestrel: it is part of the runtime the
/// native agent already carries, so an idle daemon pays one thread waiting on a socket (README,
/// "What metrics cost").
/// </summary>
internal sealed partial class MonitoringServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HealthState _health;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    private MonitoringServer(MonitoringConfig config, HealthState health, ILogger logger)
    {
        _listener.Prefixes.Add(config.Prefix);
        _health = health;
        _logger = logger;
        Url = new Uri(config.Prefix);
    }

    public Uri Url { get; }

    /// <summary>Starts listening; throws <see cref="HttpListenerException"/> when the address cannot be bound.</summary>
    public static MonitoringServer Start(MonitoringConfig config, HealthState health, ILogger logger)
    {
        ConsulMetrics.Start();
        var server = new MonitoringServer(config, health, logger);
        server._listener.Start();
        server._loop = Task.Run(() => server.RunAsync(server._stop.Token), CancellationToken.None);
        server.LogListening(server.Url);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or OperationCanceledException)
            {
                // stopping
            }
        }

        _listener.Close();
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is HttpListenerException or ObjectDisposedException or InvalidOperationException && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // One request at a time is plenty for a scrape every few seconds, and bounds the work a
            // flood of requests can cause.
            try
            {
                await AnswerAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
            {
                LogAnswerFailed(error.Message);
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var path = context.Request.Url?.AbsolutePath ?? "/";
        if (context.Request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.StatusCode = (int)HttpStatusCode.MethodNotAllowed;
            return;
        }

        switch (path)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await MetricCatalog.Registry.CollectAndExportAsTextAsync(response.OutputStream, cancellationToken).ConfigureAwait(false);
                return;
            case "/health":
                var problems = await _health.ProblemsAsync(cancellationToken).ConfigureAwait(false);
                response.StatusCode = problems.Count == 0 ? (int)HttpStatusCode.OK : (int)HttpStatusCode.ServiceUnavailable;
                await WriteTextAsync(response, problems.Count == 0 ? "ok\n" : string.Join('\n', problems) + "\n", cancellationToken).ConfigureAwait(false);
                return;
            default:
                response.StatusCode = (int)HttpStatusCode.NotFound;
                await WriteTextAsync(response, "GET /health or /metrics\n", cancellationToken).ConfigureAwait(false);
                return;
        }
    }

    private static async Task WriteTextAsync(HttpListenerResponse response, string text, CancellationToken cancellationToken)
    {
        response.ContentType = "text/plain; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(text);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "serving /health and /metrics at {Url}")]
    private partial void LogListening(Uri url);

    [LoggerMessage(Level = LogLevel.Debug, Message = "a /health or /metrics answer failed: {Reason}")]
    private partial void LogAnswerFailed(string reason);
}
