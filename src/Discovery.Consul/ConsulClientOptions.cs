using Discovery.Consul.Resilience;

namespace Discovery.Consul;

/// <summary>
/// How to reach a Consul agent. Immutable; build one per client. Discovery's daemons and CLI
/// build it from their config through one factory (Discovery.Core's <c>ConsulConnection</c>).
/// </summary>
public sealed record ConsulClientOptions
{
    /// <summary>Consul's default HTTP address.</summary>
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:8500");

    /// <summary>Base address of the agent's HTTP API, e.g. http://127.0.0.1:8500.</summary>
    public Uri Address { get; init; } = DefaultAddress;

    /// <summary>ACL token sent as X-Consul-Token. Never logged or put into exception messages.</summary>
    public string? Token { get; init; }

    /// <summary>Datacenter for every request that does not name its own.</summary>
    public string? Datacenter { get; init; }

    /// <summary>PEM CA file used to verify an https:// address instead of the system store.</summary>
    public string? CaFile { get; init; }

    /// <summary>Timeout of a non-blocking request. Blocking queries get wait × 17/16 plus this.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a read (GET) that got no answer or a 5xx answer. Writes are never retried
    /// here: only the caller knows whether repeating one is safe.</summary>
    public RetryOptions ReadRetry { get; init; } = new() { MaxRetries = 2, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// Everything but the token, which shows only whether one is set: a record's generated
    /// ToString would print it, and options end up in logs and exception messages.
    /// </summary>
    public override string ToString() =>
        $"ConsulClientOptions {{ Address = {Address}, Token = {(Token is null ? "(none)" : "(set)")}, Datacenter = {Datacenter}, CaFile = {CaFile}, RequestTimeout = {RequestTimeout}, ReadRetry = {ReadRetry} }}";

    /// <summary>Accepts "host:port", "http://host:port" or "https://host:port".</summary>
    public static Uri ParseAddress(string address, bool https = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Contains("://", StringComparison.Ordinal) ? address : (https ? "https://" : "http://") + address;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{address}' is not a Consul address (expected host:port or http(s)://host:port)", nameof(address));
        }

        return uri;
    }
}
