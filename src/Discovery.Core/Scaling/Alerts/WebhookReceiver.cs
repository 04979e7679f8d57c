using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Discovery.Core.Scaling.Alerts;

/// <summary>
/// A tiny loopback webhook receiver for the lab (`agent alerts receive`): every POSTed JSON body is
/// appended as one line to a file that `agent alerts tail` reads. Bodies are untrusted: anything that
/// is not a JSON object (or is over 64 KiB) is refused with 400 and logged, never written.
/// </summary>
internal sealed partial class WebhookReceiver(string prefix, string file, ILogger logger)
{
    private const int MaxBody = 64 * 1024;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        listener.Start();
        LogListening(prefix, file);
        using var registration = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception error) when ((error is HttpListenerException or ObjectDisposedException) && cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                context.Response.StatusCode = await AcceptAsync(context.Request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (error is IOException or HttpListenerException)
            {
                LogRefused(error.Message);
                context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task<int> AcceptAsync(HttpListenerRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpMethod != "POST")
        {
            return (int)HttpStatusCode.MethodNotAllowed;
        }

        using var body = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await request.InputStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            body.Write(buffer, 0, read);
            if (body.Length > MaxBody)
            {
                LogRefused($"body over {MaxBody} bytes");
                return (int)HttpStatusCode.RequestEntityTooLarge;
            }
        }

        string line;
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                LogRefused("not a JSON object");
                return (int)HttpStatusCode.BadRequest;
            }

            line = document.RootElement.GetRawText().ReplaceLineEndings(" ");
        }
        catch (JsonException error)
        {
            LogRefused(error.Message);
            return (int)HttpStatusCode.BadRequest;
        }

        await File.AppendAllTextAsync(file, line + "\n", Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        return (int)HttpStatusCode.NoContent;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "receiving alert webhooks at {Prefix}, appending to {File}")]
    private partial void LogListening(string prefix, string file);

    [LoggerMessage(Level = LogLevel.Warning, Message = "webhook body refused: {Reason}")]
    private partial void LogRefused(string reason);
}
