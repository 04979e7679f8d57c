using Discovery.Core.Configuration;
using Discovery.Core.Observability;
using Discovery.Core.Postgres.Configuration;
namespace Discovery.Core.NodeAgent.Configuration;

/// <summary>
/// Everything one node agent needs: who the node is, how to reach its local Consul agent, where it
/// keeps its state and which apps it may run. Load it with <see cref="NodeAgentConfigLoader"/>, which
/// validates every field and fills in the documented defaults.
/// </summary>
/// <param name="Name">Node name; part of every instance ID. Default: the machine's host name.</param>
/// <param name="Consul">How to reach the local Consul agent.</param>
/// <param name="DataDir">State file and instance logs live here (absolute; relative paths in the file are resolved against the file's folder). Default: /var/lib/discovery.</param>
/// <param name="AdvertiseAddress">The address instances bind to and are registered with. Default: 127.0.0.1.</param>
/// <param name="Apps">The apps this node may run, in file order.</param>
/// <param name="Postgres">The Postgres member this node runs, if any (see docs/contract.md, Postgres).</param>
/// <param name="Monitoring">Where <c>/health</c> and <c>/metrics</c> are served; null = not served.</param>
public sealed record NodeAgentConfig(
    string Name,
    ConsulConnectionConfig Consul,
    string DataDir,
    string AdvertiseAddress,
    IReadOnlyList<AppConfig> Apps,
    PostgresConfig? Postgres = null,
    MonitoringConfig? Monitoring = null)
{
    /// <summary>The state file that lets a restarted agent adopt what the previous run left behind.</summary>
    public string StateFilePath => Path.Combine(DataDir, "instances.json");

    /// <summary>Per-instance log files are written below this folder.</summary>
    public string LogDir => Path.Combine(DataDir, "logs");
}
