namespace Discovery.Cli.Tests.Commands;

/// <summary>Exit codes and help of the real `agent` binary: 0 ok, 1 runtime failure, 2 bad input.</summary>
public sealed class ExitCodeTests
{
    [Theory]
    [InlineData("status", "--bogus")]
    [InlineData("load", "--url", "http://10.0.0.1/", "--rpm", "60", "--duration", "1s")]
    [InlineData("load", "--url", "http://127.0.0.1/", "--rpm", "60", "--duration", "soon")]
    [InlineData("load", "--url", "http://127.0.0.1/", "--rpm", "60")]
    [InlineData("status", "--token", "x", "--token-file", "/etc/hostname")]
    [InlineData("status", "--token-file", "/nonexistent/token")]
    [InlineData("status", "--json", "--watch")]
    [InlineData("lab", "up", "--nodes", "0")]
    [InlineData("lab", "up", "--base-address", "10.0.0")]
    [InlineData("nosuchverb")]
    public async Task Main_BadInput_Exits2(params string[] args)
    {
        var (exitCode, _, error) = await AgentProcess.RunAsync(null, args);

        Assert.True(exitCode == 2, $"exit {exitCode}: {error}");
        Assert.StartsWith("error: ", error.TrimStart(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_ConsulUnreachable_Exits1WithOneClearLine()
    {
        var (exitCode, _, error) = await AgentProcess.RunAsync(null, "status", "--consul", "127.0.0.1:1");

        Assert.Equal(1, exitCode);
        Assert.Contains("Consul is not reachable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_LoadFailsWithFailOnError_Exits1()
    {
        var (exitCode, output, _) = await AgentProcess.RunAsync(null, "load", "--url", "http://127.0.0.1:1/", "--rpm", "600", "--duration", "500ms", "--fail-on-error");

        Assert.Equal(1, exitCode);
        Assert.Contains("failed 5", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version")]
    [InlineData("status")]
    [InlineData("load")]
    [InlineData("lab")]
    [InlineData("lab", "up")]
    [InlineData("lab", "down")]
    [InlineData("lab", "status")]
    public async Task Main_HelpOnEveryVerb_Exits0WithAnExample(params string[] verb)
    {
        var (exitCode, output, _) = await AgentProcess.RunAsync(null, [.. verb, "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains("Example", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_LabDownWithoutLab_Exits0()
    {
        var (exitCode, output, _) = await AgentProcess.RunAsync(null, "lab", "down");

        Assert.Equal(0, exitCode);
        Assert.Contains("No lab was running", output, StringComparison.Ordinal);
    }
}
