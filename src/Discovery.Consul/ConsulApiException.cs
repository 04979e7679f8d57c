using System.Net;

namespace Discovery.Consul;

/// <summary>Consul answered, but not with success. Carries what an operator needs to act, never the token.</summary>
public sealed class ConsulApiException : Exception
{
    /// <summary>Creates the exception for one failed request.</summary>
    public ConsulApiException(HttpStatusCode statusCode, string method, string endpoint, string consulMessage)
        : base($"Consul {method} {endpoint} failed with {(int)statusCode} {statusCode}: {Summarize(consulMessage)}")
    {
        StatusCode = statusCode;
        Method = method;
        Endpoint = endpoint;
        ConsulMessage = consulMessage;
    }

    /// <summary>HTTP status Consul returned.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>Path of the failed request, without query string (which could hold secrets).</summary>
    public string Endpoint { get; }

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
