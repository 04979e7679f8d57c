namespace Discovery.Consul;

/// <summary>
/// Consul could not be reached or did not answer in time (connection refused, DNS, TLS, timeout).
/// Distinct from <see cref="ConsulApiException"/> so callers can keep the last good state and
/// retry, instead of treating an outage as an answer.
/// </summary>
public sealed class ConsulUnavailableException : ConsulException
{
    /// <summary>Creates the exception for one request that got no answer.</summary>
    public ConsulUnavailableException(string method, string endpoint, Uri address, string reason, Exception? inner = null)
        : base(method, endpoint, $"Consul at {address.GetLeftPart(UriPartial.Authority)} is unreachable ({method} {endpoint}): {reason}", inner)
    {
        Address = address;
    }

    /// <summary>The agent address that did not answer.</summary>
    public Uri Address { get; }
}
