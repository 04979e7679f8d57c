using Discovery.Core.Processes;
using System.Diagnostics;
using System.Globalization;
using Discovery.Consul;
using Discovery.Core.Lab;
using Discovery.Core.Status;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Bench.IdleLab;

/// <summary>
/// <c>idle-lab</c>: what a quiet fleet costs. Starts the real local lab (<c>agent lab up --detach</c>:
/// 3 Consul servers, a Consul client per host, 3 node agents, 2 scalers, the renderer, nginx) on a
/// spare 127.0.x range, waits until it is healthy and settled, then sends nothing and measures from
/// outside: per process CPU and RSS from /proc, KV and catalog writes from Consul's blocking-query
/// indexes, log lines from each process's log. Prints a table and one summary line.
/// Options: --seconds 300 (measured window), --settle 30 (after healthy, before measuring),
/// --sample 10 (seconds between /proc samples), --agent PATH (an `agent` executable, or an agent.dll
/// to run with dotnet; default: the native agent scripts/publish-agent makes — what scripts/lab runs —
/// else the Release agent.dll).
/// </summary>
internal static class IdleLabBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var options = IdleLabOptions.Parse(args);
        if (options.Error is { } error)
        {
            Console.Error.WriteLine($"idle-lab: {error}");
            return 2;
        }

        var (command, prefix) = AgentCommand(options.Agent);
        if (!File.Exists(prefix.Count > 0 ? prefix[0] : command))
        {
            Console.Error.WriteLine($"idle-lab: {(prefix.Count > 0 ? prefix[0] : command)} is missing; build first: dotnet build Discovery.sln -c Release");
            return 2;
        }

        var labDir = Directory.CreateTempSubdirectory("discovery-idle-lab-").FullName;
        var baseAddress = $"127.0.{Random.Shared.Next(150, 250)}";
        var up = Stopwatch.StartNew();
        await using (var labUp = ChildProcess.Start(command, [.. prefix, "lab", "up", "--detach", "--lab-dir", labDir, "--base-address", baseAddress]))
        {
            if (await labUp.WaitForExitAsync(TimeSpan.FromMinutes(4), cancellationToken) != 0)
            {
                Console.Error.WriteLine($"idle-lab: lab up failed:\n{labUp.StandardError}\n{labUp.StandardOutput}");
                await LabDownAsync(command, prefix, labDir);
                return 1;
            }
        }

        Console.WriteLine($"idle-lab: agent {string.Join(' ', [command, .. prefix])}");
        Console.WriteLine(FormattableString.Invariant($"idle-lab: lab up and healthy after {up.Elapsed.TotalSeconds:0.0} s ({baseAddress}.0/24, {labDir}); settling {options.Settle.TotalSeconds:0} s"));
        try
        {
            return await MeasureAsync(labDir, options, cancellationToken);
        }
        finally
        {
            await LabDownAsync(command, prefix, labDir); // removes the lab dir too
        }
    }

    private static async Task<int> MeasureAsync(string labDir, IdleLabOptions options, CancellationToken cancellationToken)
    {
        var state = LabState.TryLoad(Path.Combine(labDir, "state.json")) ?? throw new InvalidOperationException("no state.json in the lab dir");
        if (!OperatorEnvironment.TryLoad(labDir, out var operatorEnvironment))
        {
            throw new InvalidOperationException("no operator.env in the lab dir");
        }

        var management = (await File.ReadAllTextAsync(Path.Combine(labDir, "tokens", "management.token"), cancellationToken)).Trim();
        using var consul = new ConsulClient(new ConsulClientOptions { Address = operatorEnvironment.Address, Token = management });
        await using var writes = new ConsulWriteCounter(operatorEnvironment.Address, management);
        writes.Start();
        var rows = Rows(state);
        await Task.Delay(options.Settle, cancellationToken);

        var leaderAtStart = await LeaderNodeAsync(consul, cancellationToken);
        var raftAtStart = await writes.RaftIndexAsync(cancellationToken);
        var from = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        foreach (var row in rows)
        {
            row.MarkLogStart();
            row.Sample();
        }

        Console.WriteLine(FormattableString.Invariant($"idle-lab: measuring {options.Duration.TotalSeconds:0} s of idle (no traffic), /proc sampled every {options.SampleEvery.TotalSeconds:0} s"));
        while (clock.Elapsed < options.Duration)
        {
            var next = options.SampleEvery < options.Duration - clock.Elapsed ? options.SampleEvery : options.Duration - clock.Elapsed;
            await Task.Delay(next, cancellationToken);
            foreach (var row in rows)
            {
                row.Sample();
            }
        }

        var elapsed = clock.Elapsed;
        var to = DateTimeOffset.UtcNow;
        foreach (var row in rows)
        {
            row.MarkLogEnd();
        }

        var raftAtEnd = await writes.RaftIndexAsync(cancellationToken);
        var leaderAtEnd = await LeaderNodeAsync(consul, cancellationToken);
        if (leaderAtStart is not null && leaderAtStart == leaderAtEnd && rows.FirstOrDefault(row => row.Name == "agent-scaler-" + leaderAtStart) is { } leader)
        {
            leader.Name += " (leader)";
        }
        else
        {
            Console.WriteLine($"idle-lab: the scaler leader changed during the window ({leaderAtStart ?? "none"} → {leaderAtEnd ?? "none"})");
        }

        var report = new IdleLabReport(elapsed, rows, writes.WritesBetween(from, to), writes.KeyWritesBetween(from, to), raftAtEnd - raftAtStart);
        report.Print(Console.Out);
        return 0;
    }

    /// <summary>One row per lab process (nginx with its workers), plus the app instances the node agents run, as one row.</summary>
    private static List<MeasuredProcess> Rows(LabState state)
    {
        var rows = new List<MeasuredProcess>();
        foreach (var record in state.Processes.OrderBy(record => record.Tier).ThenBy(record => record.Name, StringComparer.Ordinal))
        {
            var pid = record.Pid;
            var (name, kind) = record.Tier switch
            {
                0 => (record.Name, "consul"),
                1 => ("consul-client-" + record.Name, "consul"),
                _ when record.Name == "nginx" => ("nginx (master + workers)", "nginx"),
                _ => (record.Name, "discovery"),
            };
            rows.Add(kind == "nginx"
                ? new MeasuredProcess(name, kind, () => [pid, .. ProcStat.Children(pid)], record.LogFile) { WithChildren = true }
                : new MeasuredProcess(name, kind, () => [pid], record.LogFile));
        }

        var nodeAgents = state.Processes.Where(record => record.Name.StartsWith("agent-node-", StringComparison.Ordinal)).Select(record => record.Pid).ToList();
        rows.Add(new MeasuredProcess("web instances (sample app)", "app", () => nodeAgents.SelectMany(ProcStat.Children).ToList(), null));
        return rows;
    }

    private static async Task<string?> LeaderNodeAsync(ConsulClient consul, CancellationToken cancellationToken)
    {
        var status = await new FleetStatusReader(consul, "discovery", TimeProvider.System).ReadAsync("web", cancellationToken);
        return status.Apps.SingleOrDefault()?.Leader?.Node;
    }

    private static async Task LabDownAsync(string command, IReadOnlyList<string> prefix, string labDir)
    {
        await using var down = ChildProcess.Start(command, [.. prefix, "lab", "down", "--lab-dir", labDir]);
        await down.WaitForExitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
    }

    /// <summary>The given executable (or agent.dll), else the published native agent, else dotnet + this configuration's agent.dll.</summary>
    private static (string Command, IReadOnlyList<string> Prefix) AgentCommand(string? agent)
    {
        if (agent is not null)
        {
            return agent.EndsWith(".dll", StringComparison.Ordinal) ? (DotnetHost(), [Path.GetFullPath(agent)]) : (Path.GetFullPath(agent), []);
        }

        var native = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", "native", "agent");
        if (File.Exists(native))
        {
            return (native, []);
        }

        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", configuration, "net10.0", "agent.dll");
        return (DotnetHost(), [dll]);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
}
