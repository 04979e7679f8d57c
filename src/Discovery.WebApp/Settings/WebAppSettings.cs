using System.Net;

namespace Discovery.WebApp.Settings;

/// <summary>Who this instance is and how it listens, drains and starts; validated before the host is built.</summary>
/// <param name="App">Service name the instance reports (Consul service name).</param>
/// <param name="Version">Version string reported so rolling upgrades are visible.</param>
/// <param name="Node">Node the instance runs on.</param>
/// <param name="Instance">Instance ID; defaults to <c>&lt;app&gt;-&lt;node&gt;-&lt;port&gt;</c>, the agent's service ID shape.</param>
/// <param name="Address">Address to listen on (an IP literal, never a host name).</param>
/// <param name="Port">TCP port to listen on.</param>
/// <param name="DrainTimeout">How long in-flight requests may run after SIGTERM before they are aborted.</param>
/// <param name="StartupDelay">Simulated slow start: /health answers 503 for this long after listening.</param>
internal sealed record WebAppSettings(
    string App,
    string Version,
    string Node,
    string Instance,
    IPAddress Address,
    int Port,
    TimeSpan DrainTimeout,
    TimeSpan StartupDelay)
{
    /// <summary>How this build misbehaves on purpose (deploy and auto-revert tests).</summary>
    public FailureMode Failure { get; init; } = FailureMode.None;

    /// <summary>The endpoint Kestrel binds.</summary>
    public IPEndPoint EndPoint => new(Address, Port);
}
