using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Discovery.Cli.Tests.Commands;
using Discovery.Core.Lab;
using Discovery.Core.NodeAgent.State;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Processes;
using Xunit.Abstractions;

namespace Discovery.Cli.Tests.LocalLab;

/// <summary>
/// `lab up --with-postgres` for real through the built `agent`, kept lean (2 nodes, no scaler) on
/// its own loopback /24: a todo written through nginx (host todo.lab → the todo app → the primary
/// it found in Consul); kill -9 of node-1's postmaster → every write through nginx answers at once
/// with 201 or a 503 saying to retry, and writes succeed on node-2 within seconds; `agent pg status`
/// names node-2 primary. Then node-2's node agent is killed (its postgres keeps running) and
/// `lab down` still leaves no postmaster, no process of the lab and no folder.
/// </summary>
public sealed class LabPostgresTests(ITestOutputHelper output)
{
    private static readonly TimeSpan WriteBudget = TimeSpan.FromSeconds(4);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [Fact]
    public async Task LabUpWithPostgres_PrimaryPostmasterKilled_TodoWritesThroughNginxRecoverAndLabDownLeavesNoPostmaster()
    {
        var labDirectory = Path.Combine(Path.GetTempPath(), "discovery-lab-pg-" + Guid.NewGuid().ToString("N"));
        var prefix = $"127.76.{Random.Shared.Next(1, 255)}";
        var environment = new Dictionary<string, string?> { ["DISCOVERY_LAB_DIR"] = labDirectory };
        var seen = new HashSet<ProcessIdentity>();
        var downDone = false;
        try
        {
            var (upExit, upOutput, upError) = await AgentProcess.RunAsync(environment, TimeSpan.FromSeconds(150),
                "lab", "up", "--detach", "--with-postgres", "--nodes", "2", "--scalers", "0", "--lab-dir", labDirectory, "--base-address", prefix);
            Assert.True(upExit == 0, $"lab up exited {upExit}:\n{upOutput}\n{upError}");
            Assert.Contains("Todo app:", upOutput, StringComparison.Ordinal);
            Step($"lab up --with-postgres on {prefix}.0/24");
            LabProcesses.Remember(labDirectory, seen);

            using var http = new HttpClient { BaseAddress = new Uri($"http://{prefix}.5:8080/"), Timeout = TimeSpan.FromSeconds(10) };
            var (firstStatus, firstBody) = await PostTodoAsync(http, "before the kill");
            Assert.True(firstStatus == HttpStatusCode.Created, $"{firstStatus}: {firstBody}");
            Assert.Equal("node-1", Primary(firstBody));

            var postmaster = PostmasterOf(labDirectory, "node-1") ?? throw new InvalidOperationException("node-1 runs no postmaster");
            LabProcesses.Kill(postmaster);
            var killedAt = _clock.Elapsed;
            Step($"kill -9 of node-1's postmaster (pid {postmaster.Pid})");

            var slowest = TimeSpan.Zero;
            var unavailable = 0;
            while (true)
            {
                var started = _clock.Elapsed;
                var (status, body) = await PostTodoAsync(http, "during the failover");
                slowest = Max(slowest, _clock.Elapsed - started);
                if (status == HttpStatusCode.Created && Primary(body) == "node-2")
                {
                    break;
                }

                // Either acknowledged (by node-1's backends before they saw the kill) or refused at once, saying to retry.
                Assert.True(status == HttpStatusCode.Created || (status == HttpStatusCode.ServiceUnavailable && body.Contains("\"retry\":true", StringComparison.Ordinal)),
                    $"{status}: {body}");
                unavailable += status == HttpStatusCode.ServiceUnavailable ? 1 : 0;
                Assert.True(_clock.Elapsed - killedAt < TimeSpan.FromSeconds(60), $"no write on node-2 within 60 s of the kill; last {status}: {body}");
                await Task.Delay(200);
            }

            Step($"writes succeed on node-2 {(_clock.Elapsed - killedAt).TotalSeconds:0.0} s after the kill; {unavailable} answered 503 meanwhile, slowest answer {slowest.TotalMilliseconds:0} ms");
            Assert.True(unavailable > 0, "no write was refused while there was no primary");
            Assert.True(slowest < WriteBudget, $"a write took {slowest.TotalSeconds:0.0} s: it must fail fast, never hang");
            Assert.Contains("before the kill", await ListTodosAsync(http), StringComparison.Ordinal);

            var (statusExit, statusOutput, statusError) = await AgentProcess.RunAsync(environment, "pg", "status");
            Assert.True(statusExit == 0, $"pg status exited {statusExit}: {statusError}");
            Assert.Contains("primary node-2, generation 2", statusOutput, StringComparison.Ordinal);

            // A node agent killed with -9 leaves its postgres running: lab down must still stop it.
            var agent = LabState.TryLoad(Path.Combine(labDirectory, "state.json"))!.Processes.Single(record => record.Name == "agent-node-node-2");
            var orphan = PostmasterOf(labDirectory, "node-2") ?? throw new InvalidOperationException("node-2 runs no postmaster");
            LabProcesses.Remember(labDirectory, seen);
            seen.Add(orphan);
            if (PostmasterOf(labDirectory, "node-1") is { } rejoined)
            {
                seen.Add(rejoined); // restarted by node-1's agent to rejoin as a replica
            }
            LabProcesses.Kill(new ProcessIdentity(agent.Pid, agent.StartTime));
            Step($"kill -9 of node-2's node agent (pid {agent.Pid}); its postmaster {orphan.Pid} runs on");
            Assert.True(orphan.IsRunning());

            var (downExit, downOutput, downError) = await AgentProcess.RunAsync(environment, TimeSpan.FromSeconds(90), "lab", "down", "--lab-dir", labDirectory);
            downDone = true;
            Assert.True(downExit == 0, $"lab down exited {downExit}:\n{downOutput}\n{downError}");
            Assert.DoesNotContain(seen, identity => identity.IsRunning());
            Assert.False(Directory.Exists(labDirectory));
            Step($"lab down: {seen.Count} processes seen (postmasters included), none left");
        }
        finally
        {
            await LabProcesses.CleanUpAsync(environment, labDirectory, seen, downDone, output);
        }
    }

    /// <summary>POST /todos through nginx with host todo.lab; the status and body, bounded by <see cref="WriteBudget"/> plus slack.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> PostTodoAsync(HttpClient http, string title)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "todos") { Content = JsonContent.Create(new { title }) };
        request.Headers.Host = "todo.lab";
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ListTodosAsync(HttpClient http)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "todos");
        request.Headers.Host = "todo.lab";
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The "primary" field of a created todo (the node whose Postgres took the write).</summary>
    private static string? Primary(string body)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty("primary", out var primary) ? primary.GetString() : null;
    }

    /// <summary>The running postmaster of a node's data directory, as the lab's own sweeper finds it.</summary>
    private static ProcessIdentity? PostmasterOf(string labDirectory, string node) =>
        PostmasterPidFile.FindRunning(LabPostgres.DataDirectory(labDirectory, node))?.Identity;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void Step(string what) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:F1}s] {what}");
}
