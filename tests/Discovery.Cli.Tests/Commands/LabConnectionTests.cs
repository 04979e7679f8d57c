using System.Text.Json;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.Commands;

/// <summary>
/// Inside a lab, `agent` commands find Consul and the operator token through the lab's operator.env
/// when no flag or CONSUL_HTTP_* variable is given; flags still win.
/// </summary>
public sealed class LabConnectionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _labDirectory = Path.Combine(Path.GetTempPath(), "discovery-cli-lab-" + Guid.NewGuid().ToString("N"));
    private ConsulTestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await ConsulTestServer.StartAsync(output, new ConsulTestServerOptions { AclDefaultDeny = true });
        Directory.CreateDirectory(_labDirectory);
        var tokenFile = Path.Combine(_labDirectory, "operator.token");
        await File.WriteAllTextAsync(tokenFile, _server.MasterToken);
        await File.WriteAllTextAsync(Path.Combine(_labDirectory, "operator.env"),
            $"export CONSUL_HTTP_ADDR=\"{_server.HttpAddress.GetLeftPart(UriPartial.Authority)}\"\nexport CONSUL_HTTP_TOKEN_FILE=\"{tokenFile}\"\n");
        using var client = _server.CreateClient(_server.MasterToken);
        await client.KV.PutStringAsync("discovery/apps/web/desired", "4");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_labDirectory, recursive: true);
    }

    [Fact]
    public async Task Status_NoConnectionGivenInsideALab_UsesTheLabOperatorToken()
    {
        var (exitCode, json, error) = await AgentProcess.RunAsync(new Dictionary<string, string?> { ["DISCOVERY_LAB_DIR"] = _labDirectory }, "status", "--json");

        Assert.True(exitCode == 0, error);
        using var document = JsonDocument.Parse(json);
        var web = Assert.Single(document.RootElement.GetProperty("apps").EnumerateArray());
        Assert.Equal(4, web.GetProperty("desired").GetInt32());
        Assert.Equal(1, document.RootElement.GetProperty("schema").GetInt32());
    }

    [Fact]
    public async Task Status_ExplicitTokenInsideALab_FlagWinsOverTheLab()
    {
        var (exitCode, _, error) = await AgentProcess.RunAsync(new Dictionary<string, string?> { ["DISCOVERY_LAB_DIR"] = _labDirectory },
            "status", "--consul", _server.HttpAddress.ToString(), "--token", "00000000-0000-0000-0000-000000000000");

        Assert.Equal(1, exitCode);
        Assert.Contains("ACL", error, StringComparison.Ordinal);
    }
}
