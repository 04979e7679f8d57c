using System.Net;
using System.Net.Sockets;
using Discovery.Core.Configuration;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.Postgres.Configuration;
using Discovery.Core.Postgres.Hosting;
using Discovery.Core.Processes;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Core.Tests.Postgres;

/// <summary>Bad postgres sections and machines: every problem named with its key, nothing started.</summary>
public sealed class PostgresConfigTests
{
    private const string Base = "name: n2\napps: []\npostgres:\n  superuserPasswordFile: /etc/pw\n  replicationPasswordFile: /etc/pw\n";

    public static TheoryData<string, string> BadSections => new()
    {
        { "  role: replica\n  upstream: n2\n  dataDir: /var/lib/pg\n", "postgres.upstream: a replica cannot stream from itself (\"n2\" is this node's name)" },
        { "  role: replica\n  dataDir: /var/lib/pg\n", "postgres.upstream: required for a replica" },
        { "  role: primary\n  upstream: n1\n  dataDir: /var/lib/pg\n", "postgres.upstream: a primary streams from no one" },
        { "  role: leader\n  dataDir: /var/lib/pg\n", "postgres.role: \"leader\" is not a role" },
        { "  role: primary\n", "postgres.dataDir: required" },
        { "  role: primary\n  dataDir: /x\n  synchronousCommit: remote_apply\n", "postgres.synchronousCommit: \"remote_apply\" is not supported" },
        { "  role: primary\n  dataDir: /x\n  allowedNetworks: [10.0.0.0/33]\n", "postgres.allowedNetworks[0]: \"10.0.0.0/33\" is not a network" },
        { "  role: primary\n  dataDir: /x\n  database: { name: Todo-DB, owner: todo, passwordFile: /p }\n", "postgres.database.name: \"Todo-DB\" must be a plain lower-case identifier" },
        { "  role: primary\n  dataDir: /x\n  checkInterval: 5s\n  maxLag: 2s\n", "postgres.maxLag: must be longer than checkInterval" },
    };

    [Theory]
    [MemberData(nameof(BadSections))]
    public void Load_BadPostgresSection_ErrorNamesTheKey(string section, string expected)
    {
        var result = NodeAgentConfigLoader.Load(Base + section, ConfigFormat.Yaml, "/tmp");
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, error => error.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PostgresOnlyNode_IsValid()
    {
        var result = NodeAgentConfigLoader.Load(Base + "  role: replica\n  upstream: n1\n  dataDir: /var/lib/pg\n", ConfigFormat.Yaml, "/tmp");
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(PostgresRole.Replica, result.Config!.Postgres!.Role);
    }

    [Fact]
    public void Create_MissingDataDirParentAndPortInUse_ConfigErrorsAndNothingStarted()
    {
        using var scope = new ProcessTestScope();
        File.WriteAllText(scope.PathOf("pw"), "secret\n");
        var address = LoopbackAddress.Allocate();
        using var taken = new TcpListener(address, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var dataDir = scope.PathOf("no-such-mount/pgdata");
        var postgres = new PostgresConfig("pg", PostgresRole.Primary, null, dataDir, port, PostgresConfig.DefaultBinDir, PostgresConfig.DefaultRunAs,
            scope.PathOf("pw"), scope.PathOf("missing-pw"), null, false, ["127.0.0.0/8"], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10));
        var node = new NodeAgentConfig("n1", new ConsulConnectionConfig(new Uri("http://127.0.0.1:1"), null, null, null), scope.PathOf("agent"), address.ToString(), [], postgres);
        using var consul = new Discovery.Consul.ConsulClient(new Discovery.Consul.ConsulClientOptions { Address = new Uri("http://127.0.0.1:1") });

        var error = Assert.Throws<ConfigException>(() => PostgresService.Create(node, consul, "discovery", new SetsidProcessLauncher(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance));

        var messages = error.Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(messages, message => message.StartsWith("postgres.dataDir:", StringComparison.Ordinal) && message.Contains("does not exist", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.StartsWith("postgres.port:", StringComparison.Ordinal) && message.Contains("already in use", StringComparison.Ordinal));
        Assert.Contains(messages, message => message.StartsWith("postgres.replicationPasswordFile:", StringComparison.Ordinal));
        Assert.False(Directory.Exists(dataDir), "nothing was created");
    }
}
