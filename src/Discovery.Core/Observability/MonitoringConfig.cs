namespace Discovery.Core.Observability;

/// <summary>
/// A daemon's <c>monitoring:</c> section: where it serves <c>/health</c> and <c>/metrics</c>. No
/// section = no listener (several daemons share a host in the labs and tests, so a fixed default
/// port would collide); the labs and the example configs set one.
/// </summary>
/// <param name="Host">Address to listen on; loopback unless the operator says otherwise.</param>
/// <param name="Port">TCP port.</param>
/// <param name="ConsulStaleAfter">/health fails when Consul has not answered for this long (it asks Consul itself before saying so).</param>
public sealed record MonitoringConfig(string Host, int Port, TimeSpan ConsulStaleAfter)
{
    public const string DefaultHost = "127.0.0.1";

    public static readonly TimeSpan DefaultConsulStaleAfter = TimeSpan.FromSeconds(15);

    /// <summary>Service meta key under which a daemon's registration names its monitoring address (Prometheus and the alerting leader find it there).</summary>
    public const string MetaKey = "metrics";

    /// <summary>"host:port", the value of <see cref="MetaKey"/>.</summary>
    public string Address => $"{Host}:{Port}";

    /// <summary>The URL prefix HttpListener binds.</summary>
    public string Prefix => $"http://{Host}:{Port}/";
}
