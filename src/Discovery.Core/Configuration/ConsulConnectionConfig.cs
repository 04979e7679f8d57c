using Discovery.Consul;

namespace Discovery.Core.Configuration;

/// <summary>
/// How a daemon or CLI verb reaches Consul (the <c>consul:</c> map of every config file, or the
/// CLI's connection flags). <see cref="ConsulConnection"/> turns it into a client.
/// </summary>
/// <param name="Address">HTTP(S) address of the Consul agent. Default: http://127.0.0.1:8500.</param>
/// <param name="Token">ACL token given inline; at most one of <paramref name="Token"/> and <paramref name="TokenFile"/>.</param>
/// <param name="TokenFile">File holding the ACL token, so the token stays out of the config file.</param>
/// <param name="Datacenter">Datacenter to query; null = the agent's own.</param>
/// <param name="CaFile">PEM file of the CA that signed an https:// agent's certificate; null = the system store.</param>
/// <param name="RequestTimeout">Timeout of a non-blocking request; null = the client's default (5 s).</param>
public sealed record ConsulConnectionConfig(
    Uri Address,
    string? Token,
    string? TokenFile,
    string? Datacenter,
    string? CaFile = null,
    TimeSpan? RequestTimeout = null)
{
    /// <summary>The default local agent address.</summary>
    public static Uri DefaultAddress => ConsulClientOptions.DefaultAddress;

    /// <summary>The local agent with no token: what a config without a <c>consul:</c> map means.</summary>
    public static ConsulConnectionConfig Default { get; } = new(DefaultAddress, null, null, null);

    /// <summary>Everything but an inline token, which shows only whether one is set (a record's generated ToString would print it).</summary>
    public override string ToString() =>
        $"ConsulConnectionConfig {{ Address = {Address}, Token = {(Token is null ? "(none)" : "(set)")}, TokenFile = {TokenFile}, Datacenter = {Datacenter}, CaFile = {CaFile}, RequestTimeout = {RequestTimeout} }}";
}
