namespace Discovery.Consul;

/// <summary>
/// How to reach a Consul agent. Immutable; build one per client. <see cref="FromEnvironment"/>
/// follows the Consul CLI's conventions so operators can reuse their shell settings.
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

    /// <summary>Retries of a read (GET) after a transport error or a 5xx answer. Writes are never retried
    /// here: only the caller knows whether repeating one is safe.</summary>
    public int ReadRetries { get; init; } = 2;

    /// <summary>First retry delay; doubles per attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Options from CONSUL_HTTP_ADDR (host:port or URL; https when CONSUL_HTTP_SSL=true),
    /// CONSUL_HTTP_TOKEN / CONSUL_HTTP_TOKEN_FILE and CONSUL_CACERT, with explicit values winning.
    /// </summary>
    public static ConsulClientOptions FromEnvironment(string? address = null, string? token = null, string? datacenter = null)
    {
        var ssl = string.Equals(Environment.GetEnvironmentVariable("CONSUL_HTTP_SSL"), "true", StringComparison.OrdinalIgnoreCase);
        var resolvedAddress = address ?? Environment.GetEnvironmentVariable("CONSUL_HTTP_ADDR");
        var resolvedToken = token ?? Environment.GetEnvironmentVariable("CONSUL_HTTP_TOKEN");
        var tokenFile = Environment.GetEnvironmentVariable("CONSUL_HTTP_TOKEN_FILE");
        if (string.IsNullOrEmpty(resolvedToken) && !string.IsNullOrEmpty(tokenFile) && File.Exists(tokenFile))
        {
            resolvedToken = File.ReadAllText(tokenFile).Trim();
        }

        return new ConsulClientOptions
        {
            Address = string.IsNullOrEmpty(resolvedAddress) ? DefaultAddress : ParseAddress(resolvedAddress, ssl),
            Token = string.IsNullOrEmpty(resolvedToken) ? null : resolvedToken,
            Datacenter = datacenter,
            CaFile = Environment.GetEnvironmentVariable("CONSUL_CACERT") is { Length: > 0 } ca ? ca : null,
        };
    }

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
