namespace Discovery.Consul;

/// <summary>
/// Any failure of a request to Consul: no answer (<see cref="ConsulUnavailableException"/>) or an
/// answer that is not a success (<see cref="ConsulApiException"/>). Callers that keep their last good
/// state and retry catch this one type; the two subclasses are for callers that must tell them apart.
/// </summary>
public abstract class ConsulException : Exception
{
    /// <summary>Creates the exception for one request.</summary>
    protected ConsulException(string method, string endpoint, string message, Exception? inner = null)
        : base(message, inner)
    {
        Method = method;
        Endpoint = endpoint;
    }

    /// <summary>HTTP method of the failed request.</summary>
    public string Method { get; }

    /// <summary>Path of the failed request, without query string (which could hold secrets).</summary>
    public string Endpoint { get; }
}
