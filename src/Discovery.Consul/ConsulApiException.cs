using System.Net;

namespace Discovery.Consul;

/// <summary>Consul answered, but not with success. Carries what an operator needs to act, never the token.</summary>
public sealed class ConsulApiException : ConsulException
{
    /// <summary>Creates the exception for one failed request.</summary>
    public ConsulApiException(HttpStatusCode statusCode, string method, string endpoint, string consulMessage)
        : base(method, endpoint, $"Consul {method} {endpoint} failed with {(int)statusCode} {statusCode}: {Summarize(consulMessage)}")
    {
        StatusCode = statusCode;
        ConsulMessage = consulMessage;
    }

    /// <summary>HTTP status Consul returned.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>Body Consul returned, usually a one-line reason.</summary>
    public string ConsulMessage { get; }

    /// <summary>True for 403: the token lacks a permission (or is missing).</summary>
    public bool IsPermissionDenied => StatusCode == HttpStatusCode.Forbidden
        || ConsulMessage.Contains("Permission denied", StringComparison.OrdinalIgnoreCase);

    private static string Summarize(string message)
    {
        var trimmed = message.Trim();
        if (trimmed.Length == 0)
        {
            return "(no message)";
        }

        return trimmed.Length <= 500 ? trimmed : trimmed[..500] + "…";
    }
}
