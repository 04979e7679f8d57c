using Discovery.Consul;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Member;
using Discovery.Core.Status;

namespace Discovery.Core.Lab;

/// <summary>
/// What `lab up --with-postgres` adds (the local twin of the VM lab's pg1/pg2): a Postgres member
/// on node-1 (primary) and node-2 (replica), each on its node's own address and Postgres' standard
/// port, run by that node's agent (postgres user, data in the node's lab folder); and the todo app
/// on every node, registered like <c>web</c> so nginx routes host <c>todo.*</c> to it. Text and
/// paths only: <see cref="LabConfigFiles"/> writes them, <see cref="LabAcl"/> makes the tokens,
/// the orchestrator waits on <see cref="IsHealthyAsync"/>.
/// </summary>
internal static class LabPostgres
{
    /// <summary>node-1 starts as primary, node-2 as its replica; later nodes run no member.</summary>
    public const int Members = 2;

    public const int Port = 5432;

    public const string TodoApp = "todo";

    /// <summary>Next to web's 9000-9099, so the node agent's port ranges never overlap.</summary>
    public const string TodoPorts = "9100-9199";

    public const string SuperuserSecret = "pg-superuser";
    public const string ReplicationSecret = "pg-replication";
    public const string TodoSecret = "pg-todo";

    public static readonly IReadOnlyList<string> Secrets = [SuperuserSecret, ReplicationSecret, TodoSecret];

    /// <summary>The node's data directory; its parent (the node's folder) exists, as the member's preflight requires.</summary>
    public static string DataDirectory(string stateDirectory, string node) => Path.Combine(stateDirectory, "nodes", node, "postgres");

    /// <summary>The todo app entry of a node's <c>apps:</c> list (two-space indented like the web entry before it).</summary>
    public static string TodoAppYaml(LabOptions options, LabConfigFiles files, LabHost node) => $"""
          - name: {TodoApp}
            version: "1.0.0"
            command: {LabConfigFiles.Quote(options.DotnetHost)}
            args: [{LabConfigFiles.Quote(options.TodoAppAssembly ?? "")}, "--port", "{"{port}"}", "--address", "{"{address}"}", "--consul", {LabConfigFiles.Quote(node.HttpAddress.ToString())}, "--consul-token-file", {LabConfigFiles.Quote(files.TokenFile("todo-app"))}, "--cluster", {PostgresConfig.DefaultCluster}, "--database", {TodoApp}, "--user", {TodoApp}, "--password-file", {LabConfigFiles.Quote(files.SecretFile(TodoSecret))}]
            ports: {TodoPorts}
            health: {"{"} path: /health, interval: 1s, timeout: 500ms {"}"}
            drainTimeout: 10s
            stopTimeout: 10s
            defaultInstances: 1

        """;

    /// <summary>The <c>postgres:</c> section of node-1 (primary) or node-2 (replica of node-1).</summary>
    public static string MemberYaml(LabOptions options, LabConfigFiles files, LabTopology topology, LabHost node)
    {
        var primary = topology.AppNodes[0];
        var role = node == primary ? "primary" : $"replica\n  upstream: {primary.Name}";
        return $"""
            postgres:
              cluster: {PostgresConfig.DefaultCluster}
              role: {role}
              dataDir: {LabConfigFiles.Quote(DataDirectory(options.StateDirectory, node.Name))}
              port: {Port}
              binDir: {LabConfigFiles.Quote(options.PostgresBinDir)}
              superuserPasswordFile: {LabConfigFiles.Quote(files.SecretFile(SuperuserSecret))}
              replicationPasswordFile: {LabConfigFiles.Quote(files.SecretFile(ReplicationSecret))}
              database: {"{"} name: {TodoApp}, owner: {TodoApp}, passwordFile: {LabConfigFiles.Quote(files.SecretFile(TodoSecret))} {"}"}
              synchronousCommit: "{(options.PostgresSynchronousCommit ? "on" : "off")}"
              allowedNetworks: ["127.0.0.0/8"]

            """;
    }

    /// <summary>Both members pass in their roles (one primary, one replica) and every node's todo instance is routed.</summary>
    public static async Task<bool> IsHealthyAsync(ConsulClient management, FleetStatusReader reader, int nodes, CancellationToken cancellationToken)
    {
        var members = (await management.Health.ServiceAsync(PostgresConfig.DefaultCluster, null, true, null, cancellationToken).ConfigureAwait(false)).Value
            .Select(entry => MemberReport.TryRead(entry, out _)).OfType<MemberReport>().ToList();
        var todo = (await reader.ReadAsync(TodoApp, cancellationToken).ConfigureAwait(false)).Apps.Single();
        return members.Count(member => member.State == MemberState.Primary) == 1
            && members.Count(member => member.State == MemberState.Replica) == Members - 1
            && todo.Routed >= nodes;
    }
}
