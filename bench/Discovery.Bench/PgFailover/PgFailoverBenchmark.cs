using System.Globalization;
using Discovery.Consul;
using Discovery.Core.Lab;
using Discovery.Core.Postgres.Cluster;
using Discovery.Core.Postgres.Control;
using Discovery.Core.Postgres.Member;
using Discovery.Core.Postgres.Operations;
using Discovery.Core.Processes;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;

namespace Discovery.Bench.PgFailover;

/// <summary>
/// <c>pg-failover</c>: kill -9 of the primary's postmaster under a steady write load, on the real
/// local lab (`agent lab up --with-postgres`: 3 Consul servers, 2 node agents as processes, each
/// running a Postgres member; the failover leader is one of them), once per synchronousCommit mode:
/// time from the kill until a write is acknowledged by the new primary, writes failed meanwhile, and
/// acknowledged writes missing on the new primary once the old one has rejoined (lost). Each mode
/// ends with a planned switchover under the same load (its lost writes). Options: --rounds 3
/// (kills per mode). Its own lab dir and base address, so a running lab is untouched.
/// </summary>
internal static class PgFailoverBenchmark
{
    public const string Cluster = "pg";
    private static readonly TimeSpan WriteInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var rounds = args.Length >= 2 && args[0] == "--rounds" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var agent = Path.Combine(ToolPaths.RepoRoot, "src", "Discovery.Cli", "bin", configuration, "net10.0", "agent.dll");
        if (!File.Exists(agent))
        {
            Console.Error.WriteLine($"pg-failover: {agent} is missing; build first: dotnet build Discovery.sln -c {configuration}");
            return 2;
        }

        var results = new List<PgFailoverRound>();
        foreach (var synchronous in new[] { false, true })
        {
            results.AddRange(await RunModeAsync(agent, synchronous, rounds, cancellationToken));
        }

        Console.WriteLine();
        Console.WriteLine($"{"synchronousCommit",17}  {"round",10}  {"write on new primary (s)",24}  {"failed writes",13}  {"acknowledged lost",17}  {"old primary rejoined (s)",24}");
        foreach (var round in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(round.Synchronous ? "on" : "off"),17}  {round.Name,10}  {round.WriteAfter.TotalSeconds,24:0.00}  {round.Failed,13}  {$"{round.Lost} of {round.Acknowledged}",17}  {round.RejoinedAfter.TotalSeconds,24:0.0}"));
        }

        string Summary(bool synchronous)
        {
            var kills = results.Where(round => round.Synchronous == synchronous && round.Name != "switchover").ToList();
            var switchover = results.Single(round => round.Synchronous == synchronous && round.Name == "switchover");
            return string.Create(CultureInfo.InvariantCulture,
                $"{(synchronous ? "on" : "off")}: write on the new primary after median {Median(kills.Select(round => round.WriteAfter.TotalSeconds)):0.0} s, " +
                $"lost {kills.Sum(round => round.Lost)} acknowledged; switchover lost {switchover.Lost}");
        }

        Console.WriteLine($"pg-failover: kill -9 of the primary's postmaster, {rounds} rounds per mode; synchronousCommit {Summary(false)}; {Summary(true)}");
        // Targets: synchronous mode loses no acknowledged write; a planned switchover loses none in either mode.
        return results.Where(round => round.Synchronous || round.Name == "switchover").All(round => round.Lost == 0) ? 0 : 1;
    }

    private static async Task<List<PgFailoverRound>> RunModeAsync(string agent, bool synchronous, int rounds, CancellationToken cancellationToken)
    {
        var labDir = Directory.CreateTempSubdirectory("discovery-pg-bench-").FullName;
        var baseAddress = $"127.0.{Random.Shared.Next(150, 250)}";
        Console.WriteLine($"synchronousCommit {(synchronous ? "on" : "off")}: lab up --with-postgres on {baseAddress}.0/24 …");
        string[] up = ["lab", "up", "--detach", "--with-postgres", "--nodes", "2", "--scalers", "0", "--lab-dir", labDir, "--base-address", baseAddress];
        await using (var labUp = ChildProcess.StartDotnetApp(agent, synchronous ? [.. up, "--postgres-sync"] : up))
        {
            if (await labUp.WaitForExitAsync(TimeSpan.FromMinutes(4), cancellationToken) != 0)
            {
                throw new InvalidOperationException($"lab up failed:\n{labUp.StandardError}\n{labUp.StandardOutput}");
            }
        }

        try
        {
            if (!OperatorEnvironment.TryLoad(labDir, out var operatorEnvironment))
            {
                throw new InvalidOperationException("no operator.env in the lab dir");
            }

            string Secret(string path) => File.ReadAllText(path).Trim();
            using var operatorClient = new ConsulClient(new ConsulClientOptions { Address = operatorEnvironment.Address, Token = Secret(operatorEnvironment.TokenFile) });
            // The writer reads Consul as the todo app does: with its read-only token.
            using var appClient = new ConsulClient(new ConsulClientOptions { Address = operatorEnvironment.Address, Token = Secret(Path.Combine(labDir, "tokens", "todo-app.token")) });
            await using var writer = new ConsulFollowingWriter(appClient, LabPostgres.TodoApp, LabPostgres.TodoApp, Secret(Path.Combine(labDir, "secrets", LabPostgres.TodoSecret)), WriteInterval);
            await writer.StartAsync(cancellationToken);
            var round = new RoundRunner(operatorClient, writer, labDir, synchronous);
            var results = new List<PgFailoverRound>();
            for (var i = 1; i <= rounds; i++)
            {
                results.Add(await round.KillPrimaryAsync(i.ToString(CultureInfo.InvariantCulture), cancellationToken));
                Console.WriteLine(results[^1].Describe());
            }

            results.Add(await round.SwitchoverAsync(cancellationToken));
            Console.WriteLine(results[^1].Describe());
            return results;
        }
        finally
        {
            await using var down = ChildProcess.StartDotnetApp(agent, ["lab", "down", "--lab-dir", labDir]);
            await down.WaitForExitAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>One mode's rounds against one lab; lost writes are counted per round (acknowledged numbers newly missing).</summary>
    private sealed class RoundRunner(ConsulClient consul, ConsulFollowingWriter writer, string labDir, bool synchronous)
    {
        private IReadOnlySet<long> _lostSoFar = new HashSet<long>();

        public async Task<PgFailoverRound> KillPrimaryAsync(string name, CancellationToken cancellationToken)
        {
            var (primary, replica) = await SteadyAsync(cancellationToken);
            var postmaster = PostmasterPidFile.FindRunning(LabPostgres.DataDirectory(labDir, primary.Node))
                             ?? throw new InvalidOperationException($"{primary.Node} runs no postmaster");
            var killedAt = writer.Now;
            ProcessGroup.SignalProcess(postmaster.Identity.Pid, UnixSignal.Kill);
            var written = await writer.FirstAckAsync(replica.Node, killedAt, RecoveryTimeout, cancellationToken);
            return await FinishAsync(name, primary, replica, killedAt, written, cancellationToken);
        }

        public async Task<PgFailoverRound> SwitchoverAsync(CancellationToken cancellationToken)
        {
            var (primary, replica) = await SteadyAsync(cancellationToken);
            var requestedAt = writer.Now;
            var (done, message) = await new PgOperations(consul, "discovery", Cluster, TimeProvider.System).SwitchoverAsync(replica.Node, RecoveryTimeout, cancellationToken);
            if (!done)
            {
                throw new InvalidOperationException("switchover failed: " + message);
            }

            var written = await writer.FirstAckAsync(replica.Node, requestedAt, RecoveryTimeout, cancellationToken);
            return await FinishAsync("switchover", primary, replica, requestedAt, written, cancellationToken);
        }

        private async Task<PgFailoverRound> FinishAsync(string name, MemberReport primary, MemberReport replica, TimeSpan from, TimeSpan written, CancellationToken cancellationToken)
        {
            await UntilAsync(members => members.Any(member => member.Node == primary.Node && member is { State: MemberState.Replica, Passing: true }),
                $"{primary.Node} rejoins as a passing replica", cancellationToken);
            var rejoined = writer.Now;
            var missing = await writer.MissingOnAsync(replica.Endpoint, cancellationToken);
            var lost = missing.Except(_lostSoFar).Count();
            _lostSoFar = missing;
            return new PgFailoverRound(synchronous, name, written - from, writer.FailedBetween(from, written), lost, writer.AcknowledgedCount, rejoined - from);
        }

        /// <summary>A passing primary the writer uses and a passing replica; then a second of steady writes.</summary>
        private async Task<(MemberReport Primary, MemberReport Replica)> SteadyAsync(CancellationToken cancellationToken)
        {
            var members = await UntilAsync(members => members.Count(member => member is { State: MemberState.Primary, Passing: true }) == 1
                                                      && members.Any(member => member is { State: MemberState.Replica, Passing: true }),
                "a passing primary and replica", cancellationToken);
            var primary = members.Single(member => member.State == MemberState.Primary);
            await writer.FirstAckAsync(primary.Node, writer.Now, RecoveryTimeout, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            return (primary, members.First(member => member.State == MemberState.Replica));
        }

        private async Task<IReadOnlyList<MemberReport>> UntilAsync(Func<IReadOnlyList<MemberReport>, bool> condition, string what, CancellationToken cancellationToken)
        {
            var deadline = writer.Now + RecoveryTimeout;
            while (true)
            {
                var members = (await consul.Health.ServiceAsync(Cluster, cancellationToken: cancellationToken)).Value
                    .Select(entry => MemberReport.TryRead(entry, out _)).OfType<MemberReport>().ToList();
                if (condition(members))
                {
                    return members;
                }

                if (writer.Now > deadline)
                {
                    throw new TimeoutException($"not within {RecoveryTimeout.TotalSeconds:0} s: {what}");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }
}
