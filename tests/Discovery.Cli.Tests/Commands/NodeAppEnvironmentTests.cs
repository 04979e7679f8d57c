using Discovery.Core.Processes;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.Commands;

/// <summary>
/// Issue 12, finding 3: a Consul token in the node agent's environment once showed up in every
/// instance's environment. The real `agent node`, started with CONSUL_HTTP_TOKEN set, against a
/// real Consul, runs a real app that prints its whole environment.
/// </summary>
public sealed class NodeAppEnvironmentTests(ITestOutputHelper output)
{
    private const string Secret = "agent-secret-3f1b9c";

    [Fact]
    public async Task Node_ConsulTokenInTheAgentsEnvironment_AppEnvironmentHasOnlyTheAllowList()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        var directory = Directory.CreateTempSubdirectory("discovery-node-env-").FullName;
        try
        {
            var dump = Path.Combine(directory, "app-env.txt");
            var config = Path.Combine(directory, "node.yaml");
            await File.WriteAllTextAsync(config, $"""
                name: n1
                consul:
                  address: {consul.HttpAddress}
                dataDir: {directory}/data
                advertiseAddress: 127.0.0.1
                apps:
                  - name: web
                    command: /bin/sh
                    args: ["-c", "env > {dump}.tmp && mv {dump}.tmp {dump}; exec sleep 60"]
                    env: {"{"} GREETING: hello {"}"}
                    passEnv: [PATH, SAFE_TO_PASS]
                    ports: 19400-19409
                    stopTimeout: 1s
                """);

            await using var agent = AgentProcess.Start(
                new Dictionary<string, string?> { ["CONSUL_HTTP_TOKEN"] = Secret, ["SAFE_TO_PASS"] = "yes", ["NOT_LISTED"] = "no" },
                "node", "--config", config);
            await Eventually.UntilAsync(() => Task.FromResult(File.Exists(dump)), TimeSpan.FromSeconds(30), () => $"the app wrote its environment. {agent.Describe()}");

            var environment = File.ReadAllLines(dump);
            Assert.DoesNotContain(environment, line => line.Contains(Secret, StringComparison.Ordinal) || line.StartsWith("CONSUL_", StringComparison.Ordinal));
            Assert.DoesNotContain("NOT_LISTED=no", environment);
            Assert.Contains("SAFE_TO_PASS=yes", environment);
            Assert.Contains("GREETING=hello", environment);
            Assert.Contains("DISCOVERY_INSTANCE=web-n1-19400", environment);

            // SIGTERM: the agent stops its instance before it exits (nothing of the test is left).
            ProcessGroup.SignalProcess(agent.Pid, UnixSignal.Terminate);
            Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(30), CancellationToken.None));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
