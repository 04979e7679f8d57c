using System.Globalization;
using Discovery.Consul.Agent;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;

namespace Discovery.Core.Postgres.Member;

/// <summary>
/// The <c>pg</c> service registration of one member (pure). Not tagged <c>discovery</c>: that tag
/// makes nginx route a service, and a database is not routed. Its own <c>managed-by</c> value keeps
/// the node agent's app registrar, which removes every "discovery" registration it does not run,
/// away from it.
/// </summary>
public static class MemberRegistration
{
    public const string ManagedBy = "discovery-postgres";
    public const string NodeKey = "node";
    public const string StateKey = "state";
    public const string GenerationKey = "generation";
    public const string BootstrapRoleKey = "bootstrap-role";
    public const string FinalLsnKey = "final-lsn";

    public static string ServiceId(string cluster, string node) => $"{cluster}-{node}";

    public static string CheckId(string cluster, string node) => $"{ServiceId(cluster, node)}:role";

    public static ServiceRegistration Create(PostgresConfig config, string node, string address, string state, long generation, WalPosition? finalLsn,
        string checkStatus, string checkOutput, TimeSpan ttl)
    {
        var meta = new Dictionary<string, string>
        {
            [NodeKey] = node,
            [StateKey] = state,
            [GenerationKey] = generation.ToString(CultureInfo.InvariantCulture),
            [BootstrapRoleKey] = config.Role == PostgresRole.Primary ? "primary" : "replica",
            ["managed-by"] = ManagedBy,
        };
        if (finalLsn is { } position)
        {
            meta[FinalLsnKey] = position.ToString();
        }

        return new ServiceRegistration
        {
            ID = ServiceId(config.Cluster, node),
            Name = config.Cluster,
            Tags = [state],
            Address = address,
            Port = config.Port,
            Meta = meta,
            Checks =
            [
                new CheckDefinition
                {
                    CheckId = CheckId(config.Cluster, node),
                    Name = "postgres role",
                    Notes = "primary: not in recovery and a write commits; replica: in recovery, streaming, lag under maxLag. Run by the node agent.",
                    Ttl = ttl,
                    Status = checkStatus,
                    // Consul's safety net for a node agent gone for good.
                    DeregisterCriticalServiceAfter = TimeSpan.FromMinutes(10),
                },
            ],
        };
    }
}
