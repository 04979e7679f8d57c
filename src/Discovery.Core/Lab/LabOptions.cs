using Discovery.Core.Configuration;
using Discovery.Core.Postgres.Configuration;

namespace Discovery.Core.Lab;

/// <summary>
/// What `agent lab up` starts and from where. <see cref="AddressPrefix"/> is the first three octets of
/// the loopback /24 the lab uses (default 127.0.0; tests pass their own so labs never collide).
/// <see cref="ConsulOnly"/> starts just the Consul cluster with ACLs (used by tests).
/// </summary>
internal sealed record LabOptions
{
    public required string StateDirectory { get; init; }

    public required string RepoRoot { get; init; }

    public int Nodes { get; init; } = 3;

    public int Scalers { get; init; } = 2;

    public string AddressPrefix { get; init; } = "127.0.0";

    public string Datacenter { get; init; } = "dc1";

    public string App { get; init; } = "web";

    public string KvPrefix { get; init; } = DiscoveryKeys.DefaultPrefix;

    public required string ConsulBinary { get; init; }

    public string NginxBinary { get; init; } = "/usr/sbin/nginx";

    /// <summary>How to run `agent` itself (the apphost, or dotnet + agent.dll).</summary>
    public string AgentCommand { get; init; } = "agent";

    public IReadOnlyList<string> AgentArgsPrefix { get; init; } = [];

    /// <summary>dotnet host that runs the sample app.</summary>
    public string DotnetHost { get; init; } = "dotnet";

    public string? WebAppAssembly { get; init; }

    public bool ConsulOnly { get; init; }

    /// <summary>`lab up --fast`: short scaler timings (<see cref="LabScalerTimings.Fast"/>) so autoscaling shows within a minute.</summary>
    public bool Fast { get; init; }

    public LabScalerTimings ScalerTimings => Fast ? LabScalerTimings.Fast : LabScalerTimings.Default;

    /// <summary>`lab up --with-postgres`: a Postgres primary on node-1, a replica on node-2, the todo app on every node (<see cref="LabPostgres"/>).</summary>
    public bool WithPostgres { get; init; }

    /// <summary>`--postgres-sync`: the members run <c>synchronousCommit: on</c> (no acknowledged write lost on failover; writes wait while no replica streams).</summary>
    public bool PostgresSynchronousCommit { get; init; }

    public string PostgresBinDir { get; init; } = PostgresConfig.DefaultBinDir;

    /// <summary>dotnet host's argument for the todo app (Discovery.TodoApp.dll); required with <see cref="WithPostgres"/>.</summary>
    public string? TodoAppAssembly { get; init; }

    public TimeSpan HealthyTimeout { get; init; } = TimeSpan.FromSeconds(120);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Nodes is < 1 or > 9)
        {
            errors.Add("--nodes must be between 1 and 9");
        }

        if (Scalers < 0 || Scalers > Nodes)
        {
            errors.Add("--scalers must be between 0 and --nodes (each scaler runs on a node)");
        }

        if (WithPostgres && Nodes < LabPostgres.Members)
        {
            errors.Add($"--with-postgres needs at least {LabPostgres.Members} nodes (the primary on node-1, the replica on node-2)");
        }

        if (PostgresSynchronousCommit && !WithPostgres)
        {
            errors.Add("--postgres-sync needs --with-postgres");
        }

        var octets = AddressPrefix.Split('.');
        if (octets.Length != 3 || octets[0] != "127" || !octets.All(octet => byte.TryParse(octet, out _)))
        {
            errors.Add($"--base-address must be a loopback /24 such as 127.0.0 (got '{AddressPrefix}')");
        }

        return errors;
    }
}
