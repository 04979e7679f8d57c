using System.Globalization;
using System.Reflection;
using Discovery.Consul;
using Discovery.Consul.Queries;
using Discovery.Core.Processes;
using Discovery.Testing.Consul;
using Discovery.Testing.Tools;

namespace Discovery.Bench.Failover;

/// <summary>
/// Leader failover after <c>kill -9</c> of the holder, on a real 3-server Consul cluster on
/// loopback: our lock (3 contender processes, time until a new holder's first fenced write is
/// accepted) against <c>consul lock</c> with its defaults (time until another child starts).
/// Every process runs in its own process group and every group is killed at the end.
/// </summary>
internal static class FailoverBenchmark
{
    private const int Contenders = 3;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan OursTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConsulLockTimeout = TimeSpan.FromSeconds(120);
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = RoundsOption(args);
        var workDirectory = Directory.CreateTempSubdirectory("discovery-bench-failover-").FullName;
        var launcher = new SetsidProcessLauncher(TimeProvider.System);
        var started = new List<IProcessHandle>();
        try
        {
            Console.WriteLine("starting a 3-server Consul cluster on loopback …");
            await using var cluster = await ConsulClusterFixture.StartAsync(3, null, cancellationToken);
            using var client = cluster.Members[0].CreateClient();
            var context = new RoundContext(cluster, client, launcher, started, workDirectory);

            var ours = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                ours.Add(await OursRoundAsync(context, round, cancellationToken));
                Console.WriteLine($"ours round {round}: {Format(ours[^1])} s");
            }

            var reference = new List<double>();
            for (var round = 1; round <= rounds; round++)
            {
                reference.Add(await ConsulLockRoundAsync(context, round, cancellationToken));
                Console.WriteLine($"consul lock round {round}: {Format(reference[^1])} s");
            }

            Console.WriteLine();
            Console.WriteLine(" round  ours (s)  consul lock (s)");
            for (var round = 0; round < rounds; round++)
            {
                Console.WriteLine($"{round + 1,6}  {Format(ours[round]),8}  {Format(reference[round]),15}");
            }

            var oursMedian = Median(ours);
            var referenceMedian = Median(reference);
            var ratio = oursMedian / referenceMedian;
            Console.WriteLine($"{"median",6}  {Format(oursMedian),8}  {Format(referenceMedian),15}");
            Console.WriteLine(string.Create(Invariant, $"failover median: ours {oursMedian:0.00} s, consul lock {referenceMedian:0.0} s, ratio {ratio:0.00} (targets: ours <= 1.5 s, ratio <= 0.1)"));
            return oursMedian <= 3 && ratio <= 0.1 ? 0 : 1;
        }
        finally
        {
            foreach (var process in started)
            {
                process.SignalGroup(UnixSignal.Kill);
                process.Dispose();
            }

            try
            {
                Directory.Delete(workDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }

    /// <summary>Seconds from kill -9 of our holder until another contender's first fenced write was accepted.</summary>
    private static async Task<double> OursRoundAsync(RoundContext context, int round, CancellationToken cancellationToken)
    {
        var key = $"discovery/bench/failover/round-{round}/leader";
        var dataKey = $"discovery/bench/failover/round-{round}/data";
        var (command, prefix) = SelfCommand();
        var contenders = new List<(IProcessHandle Process, string Log)>();
        for (var i = 0; i < Contenders; i++)
        {
            var log = Path.Combine(context.WorkDirectory, $"ours-{round}-{i}.log");
            var process = context.Launcher.Launch(new ProcessLaunchSpec(command,
                [.. prefix, "contender", "--consul", context.Cluster.Members[i].HttpAddress.ToString(), "--key", key, "--data", dataKey],
                new Dictionary<string, string>(), null, log));
            context.Started.Add(process);
            contenders.Add((process, log));
        }

        // Everyone is contending (3 sessions on the key) and the holder is writing.
        var sessionName = "discovery-lock " + key;
        var (holderPid, holderToken) = await PollAsync(async () =>
        {
            var sessions = (await context.Client.Sessions.ListAsync(cancellationToken: cancellationToken)).Value.Count(s => s.Name == sessionName);
            var data = (await context.Client.KV.GetAsync(dataKey, cancellationToken: cancellationToken)).Value;
            return sessions == Contenders && data is not null ? ParseWrite(data.ValueAsString()) : ((int, ulong)?)null;
        }, OursTimeout, "3 contenders and a writing holder", contenders.Select(c => c.Log), cancellationToken);
        await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);

        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        ProcessGroup.SignalProcess(holderPid, UnixSignal.Kill);
        var firstWriteAt = await PollAsync(() =>
        {
            foreach (var (process, log) in contenders.Where(c => c.Process.Identity.Pid != holderPid))
            {
                foreach (var line in ReadLines(log).Where(l => l.StartsWith("first-write ", StringComparison.Ordinal)))
                {
                    var parts = line.Split(' ');
                    if (ulong.Parse(parts[1], Invariant) > holderToken)
                    {
                        return Task.FromResult<long?>(long.Parse(parts[2], Invariant));
                    }
                }
            }

            return Task.FromResult<long?>(null);
        }, OursTimeout, "a new holder's first fenced write", contenders.Select(c => c.Log), cancellationToken);

        var latest = (await context.Client.KV.GetAsync(dataKey, new QueryOptions { Consistency = ConsistencyMode.Consistent }, cancellationToken)).Value!;
        var (latestPid, latestToken) = ParseWrite(latest.ValueAsString());
        if (latestPid == holderPid || latestToken <= holderToken)
        {
            throw new InvalidOperationException($"round {round}: data key still written by the killed holder ({latest.ValueAsString()})");
        }

        // Survivors release gracefully (SIGTERM), so no session lingers into the next round.
        foreach (var (process, _) in contenders)
        {
            process.SignalGroup(UnixSignal.Terminate);
        }

        using (var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            grace.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await Task.WhenAll(contenders.Select(c => c.Process.WaitForExitAsync(grace.Token)));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // killed in the finally of RunAsync
            }
        }

        return (firstWriteAt - killedAt) / 1000.0;
    }

    /// <summary>Seconds from kill -9 of the holding <c>consul lock</c> until another one started its child.</summary>
    private static async Task<double> ConsulLockRoundAsync(RoundContext context, int round, CancellationToken cancellationToken)
    {
        var prefix = $"discovery/bench/consul-lock/round-{round}";
        var markers = Path.Combine(context.WorkDirectory, $"consul-lock-{round}");
        Directory.CreateDirectory(markers);
        var holders = new List<(IProcessHandle Process, string Log, string Marker)>();
        for (var i = 0; i < Contenders; i++)
        {
            var marker = Path.Combine(markers, $"marker-{i}");
            var log = Path.Combine(context.WorkDirectory, $"consul-lock-{round}-{i}.log");
            var process = context.Launcher.Launch(new ProcessLaunchSpec(ToolPaths.Consul,
                ["lock", "-http-addr=" + context.Cluster.Members[i].HttpAddress.Authority, prefix, $"date +%s%N > {marker}; exec sleep 1000"],
                new Dictionary<string, string>(), null, log));
            context.Started.Add(process);
            holders.Add((process, log, marker));
        }

        var logs = holders.Select(h => h.Log).ToList();
        var holder = await PollAsync(() => Task.FromResult(holders.FindIndex(h => ReadMarker(h.Marker) is not null) is var index and >= 0 ? (int?)index : null),
            TimeSpan.FromSeconds(60), "a consul lock holder's child", logs, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // the others are waiting on the lock by now

        var killedAt = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        ProcessGroup.SignalProcess(holders[holder].Process.Identity.Pid, UnixSignal.Kill);
        var startedAt = await PollAsync(() => Task.FromResult(holders.Where((_, i) => i != holder).Select(h => ReadMarker(h.Marker)).FirstOrDefault(m => m is not null)),
            ConsulLockTimeout, "another consul lock child", logs, cancellationToken);

        // The killed holder's child is still running (consul lock does not fence it): the groups go too.
        foreach (var (process, _, _) in holders)
        {
            process.SignalGroup(UnixSignal.Kill);
        }

        return (startedAt - killedAt) / 1e9;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, IEnumerable<string> logs, CancellationToken cancellationToken)
        where T : struct
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (ConsulException)
            {
                // the cluster is busy: ask again
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        throw new TimeoutException($"no {what} within {timeout.TotalSeconds}s\n" + string.Join("\n", logs.Select(log => $"--- {log} ---\n{string.Join("\n", ReadLines(log).TakeLast(30))}")));
    }

    private static (int Pid, ulong Token) ParseWrite(string value)
    {
        var parts = value.Split(' ');
        return (int.Parse(parts[0], Invariant), ulong.Parse(parts[1], Invariant));
    }

    private static long? ReadMarker(string path)
    {
        try
        {
            return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), Invariant, out var nanoseconds) ? nanoseconds : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllLines(path) : [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>How to start this bench again: the apphost, or dotnet with this assembly.</summary>
    private static (string Command, string[] Prefix) SelfCommand()
    {
        var host = Environment.ProcessPath ?? "dotnet";
        return Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? (host, [Assembly.GetExecutingAssembly().Location])
            : (host, []);
    }

    private static int RoundsOption(string[] args)
    {
        var at = Array.IndexOf(args, "--rounds");
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], Invariant, out var rounds) && rounds >= 1
            ? rounds
            : at >= 0 ? throw new ArgumentException("--rounds takes a positive integer") : 5;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Format(double seconds) => seconds.ToString("0.00", Invariant);

    private sealed record RoundContext(ConsulClusterFixture Cluster, ConsulClient Client, SetsidProcessLauncher Launcher, List<IProcessHandle> Started, string WorkDirectory);
}
