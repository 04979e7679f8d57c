using System.Net;

namespace Discovery.Core.Lab;

/// <summary>
/// One "machine" of the lab: a loopback address of its own, so every Consul agent keeps Consul's
/// standard ports (8300–8302, 8500) exactly as on a real host. <see cref="RunsScaler"/> and
/// <see cref="RunsPostgres"/> (a member on Postgres' standard port, `lab up --with-postgres`) only for app nodes.
/// </summary>
internal sealed record LabHost(string Name, LabRole Role, IPAddress Address, bool RunsScaler = false, bool RunsPostgres = false)
{
    public const int ServerRpcPort = 8300;
    public const int SerfLanPort = 8301;
    public const int SerfWanPort = 8302;
    public const int HttpPort = 8500;
    public const int LbPort = 8080;
    public const int LbStatusPort = 8090;
    public const int LbPeersPort = 8091;

    public Uri HttpAddress => new($"http://{Address}:{HttpPort}");

    /// <summary>TCP ports this host binds; serf ports are UDP as well.</summary>
    public IReadOnlyList<int> Ports => Role switch
    {
        LabRole.ConsulServer => [ServerRpcPort, SerfLanPort, SerfWanPort, HttpPort],
        LabRole.LoadBalancer => [SerfLanPort, HttpPort, LbPort, LbStatusPort, LbPeersPort],
        _ when RunsPostgres => [SerfLanPort, HttpPort, LabPostgres.Port],
        _ => [SerfLanPort, HttpPort],
    };
}
