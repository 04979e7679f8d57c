namespace Discovery.Core.Configuration;

/// <summary>How the node agent reaches its local Consul agent.</summary>
/// <param name="Address">HTTP(S) address of the local agent. Default: http://127.0.0.1:8500.</param>
/// <param name="Token">ACL token given inline; at most one of <paramref name="Token"/> and <paramref name="TokenFile"/>.</param>
/// <param name="TokenFile">File holding the ACL token, so the token stays out of the config file.</param>
/// <param name="Datacenter">Datacenter to query; null = the agent's own.</param>
public sealed record ConsulConnectionConfig(
    Uri Address,
    string? Token,
    string? TokenFile,
    string? Datacenter)
{
    /// <summary>The default local agent address.</summary>
    public static readonly Uri DefaultAddress = new("http://127.0.0.1:8500");
}
