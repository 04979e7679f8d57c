using Discovery.Testing.Processes;

namespace Discovery.Cli.Tests.Commands;

/// <summary>
/// Runs the built `agent` as a captive process and returns its exit code and output: the native
/// executable named by DISCOVERY_TEST_AGENT when set (scripts/test publishes it, so the whole CLI
/// suite, the lab end-to-end test included, runs what `scripts/lab` ships), else agent.dll next to
/// the tests (a run from an IDE).
/// </summary>
internal static class AgentProcess
{
    /// <summary>Path of a native `agent` to run instead of agent.dll.</summary>
    public const string NativeAgentVariable = "DISCOVERY_TEST_AGENT";

    public static Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        RunAsync(environment, TimeSpan.FromSeconds(60), args);

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] args)
    {
        await using var process = Start(environment, args);
        var exitCode = await process.WaitForExitAsync(timeout, CancellationToken.None);
        return (exitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Starts the agent (a daemon, say) and leaves it running: the caller stops or disposes it.</summary>
    public static ChildProcess Start(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        // No lab, no Consul from the developer's shell: every test states its own connection.
        var isolated = new Dictionary<string, string?>
        {
            ["CONSUL_HTTP_ADDR"] = null,
            ["CONSUL_HTTP_TOKEN"] = null,
            ["CONSUL_HTTP_TOKEN_FILE"] = null,
            ["DISCOVERY_LAB_DIR"] = Path.Combine(Path.GetTempPath(), "no-lab-" + Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            isolated[key] = value;
        }

        return Environment.GetEnvironmentVariable(NativeAgentVariable) is { Length: > 0 } native
            ? ChildProcess.Start(native, args, isolated)
            : ChildProcess.StartDotnetApp(Path.Combine(AppContext.BaseDirectory, "agent.dll"), args, isolated);
    }
}
