namespace Discovery.Consul;

/// <summary>
/// Consul could not be reached or did not answer in time (connection refused, DNS, TLS, timeout).
/// Distinct from <see cref="ConsulApiException"/> so callers can keep the last good state and
/// retry, instead of treating an outage as an answer.
/// </summary>
public sealed class ConsulUnavailableException : Exception
{
    /// <summary>Creates the exception for one request that got no answer.</summary>
    public ConsulUnavailableException(string method, string endpoint, Uri address, string reason, Exception? inner = null)
        : base($"Consul at {address.GetLeftPart(UriPartial.Authority)} is unreachable ({method} {endpoint}): {reason}", inner)
    {
        Method = method;
        Endpoint = endpoint;
        Address = address;
    }

    /// <summary>HTTP method of the request.</summary>
    public string Method { get; }

    /// <summary>Path of the request, without query string.</summary>
    public string Endpoint { get; }

    /// <summary>The agent address that did not answer.</summary>
    public Uri Address { get; }
}
