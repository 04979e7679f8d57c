using System.Globalization;
using System.Text.RegularExpressions;
using CliWrap.Buffered;
using Discovery.Cli.Tests.Commands;
using Discovery.Core.Processes;
using Discovery.Testing;
using Discovery.Testing.Consul;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.Monitoring;

/// <summary>
/// A real `agent node` (the built executable) with a monitoring section, against a real Consul,
/// running the real sample app: its /metrics is valid Prometheus text (promtool), its series move
/// when an instance is killed, and its /health follows Consul going away and coming back.
/// </summary>
public sealed partial class NodeAgentMonitoringTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("discovery-monitoring-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    [Fact]
    public async Task NodeAgent_InstanceKilledAndConsulKilled_MetricsMoveAndHealthFollowsConsul()
    {
        await using var consul = await ConsulTestServer.StartAsync(output);
        var port = LoopbackAddress.FreePort(consul.Address);
        var appPorts = LoopbackAddress.FreePort(consul.Address);
        var config = Path.Combine(_folder, "node.yaml");
        await File.WriteAllTextAsync(config, $"""
            name: mon-node
            consul: {"{"} address: "{consul.HttpAddress}" {"}"}
            dataDir: "{Path.Combine(_folder, "data")}"
            advertiseAddress: {consul.Address}
            monitoring: {"{"} listen: "{consul.Address}:{port}", consulStaleAfter: 2s {"}"}
            apps:
              - name: web
                command: dotnet
                args: ["{WebAppDll}", "--port", "{"{port}"}", "--address", "{"{address}"}", "--instance", "{"{instance}"}", "--node", "{"{node}"}"]
                ports: {appPorts}-{appPorts}
                health: {"{"} path: /health, interval: 1s, timeout: 500ms {"}"}
                defaultInstances: 1
            """);
        await using var agent = AgentProcess.Start(null, "node", "--config", config);
        var baseUrl = $"http://{consul.Address}:{port}";

        var metrics = "";
        await Eventually.UntilAsync(
            async () =>
            {
                metrics = await ScrapeAsync(baseUrl);
                return Sample(metrics, "discovery_node_instances", """app="web",node="mon-node",state="running" """.Trim()) == 1
                    && metrics.Contains("discovery_instance_rss_bytes{", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(30), () => agent.Describe() + "\n" + metrics);
        await AssertPromtoolAcceptsAsync(metrics);
        Assert.True(Sample(metrics, "discovery_consul_requests_total", """endpoint="agent/service",method="PUT",outcome="ok" """.Trim()) >= 1);
        Assert.StartsWith("200", await HealthAsync(baseUrl), StringComparison.Ordinal);

        // kill -9 of the instance: the node agent restarts it and counts the restart.
        var instance = ProcStat.Children(agent.Pid).Single();
        using (var process = System.Diagnostics.Process.GetProcessById(instance))
        {
            process.Kill(); // SIGKILL
        }

        await Eventually.UntilAsync(
            async () => Sample(metrics = await ScrapeAsync(baseUrl), "discovery_node_instance_restarts_total", """app="web",node="mon-node" """.Trim()) == 1,
            TimeSpan.FromSeconds(30), () => agent.Describe() + "\n" + metrics);

        // Consul gone: /health says so (503, with the reason) within consulStaleAfter; back: 200.
        await consul.KillAsync();
        var health = "";
        await Eventually.UntilAsync(
            async () => (health = await HealthAsync(baseUrl)).StartsWith("503", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), () => agent.Describe() + "\n" + health);
        Assert.Contains("consul: no answer", health, StringComparison.Ordinal);
        await consul.StartAgainAsync();
        await Eventually.UntilAsync(
            async () => (health = await HealthAsync(baseUrl)).StartsWith("200", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), () => agent.Describe() + "\n" + health);
    }

    public void Dispose()
    {
        _http.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // instance logs may still be closing
        }
    }

    /// <summary>The value of one series (labels exactly as written, in order), or null.</summary>
    internal static double? Sample(string text, string name, string labels)
    {
        var match = Regex.Match(text, $"^{Regex.Escape(name)}\\{{{Regex.Escape(labels)}\\}} (\\S+)$", RegexOptions.Multiline);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    private static string WebAppDll
    {
        get
        {
            var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
            return Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.WebApp", "bin", configuration, "net10.0", "Discovery.WebApp.dll");
        }
    }

    private async Task<string> ScrapeAsync(string baseUrl)
    {
        try
        {
            return await _http.GetStringAsync(new Uri(baseUrl + "/metrics"));
        }
        catch (HttpRequestException)
        {
            return "";
        }
    }

    /// <summary>"status body" of GET /health.</summary>
    private async Task<string> HealthAsync(string baseUrl)
    {
        using var response = await _http.GetAsync(new Uri(baseUrl + "/health"));
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Prometheus' own linter parses the exposition (a failure names the line).</summary>
    private async Task AssertPromtoolAcceptsAsync(string metrics)
    {
        var file = Path.Combine(_folder, "metrics.txt");
        await File.WriteAllTextAsync(file, metrics);
        var result = await CliWrap.Cli.Wrap("/bin/sh").WithArguments(["-c", $"promtool check metrics < '{file}'"])
            .WithValidation(CliWrap.CommandResultValidation.None)
            .ExecuteBufferedAsync();
        output.WriteLine(result.StandardError);
        // promtool exits 3 for lint remarks (naming style), 1 for text it cannot parse.
        Assert.True(result.ExitCode is 0 or 3, $"promtool: {result.StandardError}");
        Assert.DoesNotContain("error while linting", result.StandardError, StringComparison.Ordinal);
    }
}
