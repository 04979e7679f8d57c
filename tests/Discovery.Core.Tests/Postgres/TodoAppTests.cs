using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Discovery.Core.Postgres.Configuration;
using Discovery.Testing;
using Discovery.Testing.Network;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Postgres;

/// <summary>The todo app as a real process, finding the primary through Consul, across a primary crash.</summary>
public sealed class TodoAppTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Todos_PrimaryKilled_WritesAnswer503FastThenSucceedAgain()
    {
        Assert.True(PgClusterHarness.PostgresInstalled, "postgresql-15 is not installed (scripts/setup installs it)");
        await using var cluster = await PgClusterHarness.CreateAsync(output);
        cluster.Node("n1", PostgresRole.Primary, todoDatabase: true);
        await cluster.StartAsync("n1");
        await cluster.UntilHealthyAsync("n1");

        var address = LoopbackAddress.Allocate();
        var port = LoopbackAddress.FreePort(address);
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var dll = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.TodoApp", "bin", configuration, "net10.0", "Discovery.TodoApp.dll");
        await using var app = ChildProcess.StartDotnetApp(dll, ["--port", $"{port}", "--address", $"{address}", "--consul", cluster.Server.HttpAddress.ToString(),
            "--password-file", cluster.Scope.PathOf("password")]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{address}:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.UntilAsync(async () => (await http.PostAsJsonAsync("todos", new { title = "first" })).StatusCode == HttpStatusCode.Created,
            TimeSpan.FromSeconds(30), () => "a todo created " + app.StandardOutput, tolerate: error => error is HttpRequestException);
        Assert.Contains("first", await http.GetStringAsync("todos"), StringComparison.Ordinal);

        cluster.KillPostmaster("n1");
        var clock = Stopwatch.StartNew();
        // Backends of a killed postmaster linger for a moment; from the member's critical check on, writes must fail fast.
        await Eventually.UntilAsync(async () => (await cluster.MembersAsync()).All(member => !member.Passing), TimeSpan.FromSeconds(10), () => "n1 critical");
        var slowest = TimeSpan.Zero;
        var saw503 = false;
        while (true)
        {
            var started = clock.Elapsed;
            using var response = await http.PostAsJsonAsync("todos", new { title = "after" });
            var took = clock.Elapsed - started;
            slowest = took > slowest ? took : slowest;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                break;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Contains("retry", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            saw503 = true;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "writes did not succeed again within 60 s");
            await Task.Delay(100);
        }

        output.WriteLine($"writes succeeded again {clock.Elapsed.TotalSeconds:0.0} s after the kill; slowest answer meanwhile {slowest.TotalMilliseconds:0} ms");
        Assert.True(saw503, "writes failed with 503 while the primary was down");
        Assert.True(slowest < TimeSpan.FromSeconds(4), $"a write took {slowest.TotalSeconds:0.0} s: must fail fast, never hang");
    }
}
