using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using Discovery.Cli.Options;
using Discovery.Cli.Output;
using Discovery.Core.Configuration;
using Discovery.Core.Lab;

namespace Discovery.Cli.Commands;

/// <summary>`agent lab up`: start the whole local lab, wait until healthy, then show it live until Ctrl-C (or detach).</summary>
internal static class LabUpCommand
{
    /// <summary>Longest time between redraws of the live view when nothing changes (instance ages keep moving).</summary>
    private static readonly TimeSpan StatusRefresh = TimeSpan.FromSeconds(5);

    public static Command Create()
    {
        var location = new LabLocationOptions();
        var logging = new LoggingOptions();
        var nodes = new Option<int>("--nodes") { Description = "App nodes (each: Consul client + node agent).", DefaultValueFactory = _ => 3 };
        var scalers = new Option<int>("--scalers") { Description = "Scalers, on the first nodes (one leads).", DefaultValueFactory = _ => 2 };
        var detach = new Option<bool>("--detach") { Description = "Leave the lab running and return; stop it with `agent lab down`." };
        var baseAddress = new Option<string>("--base-address")
        {
            Description = "Loopback /24 to use (servers .11-.13, lb .5, nodes .21+).",
            DefaultValueFactory = _ => "127.0.0",
        };
        var consulOnly = new Option<bool>("--consul-only") { Description = "Only the Consul cluster with ACLs and tokens (no node agents, scalers, nginx)." };
        var fast = new Option<bool>("--fast")
        {
            Description = "Short scaler timings (scrape 1s over 10s, evaluate every 1s, cooldowns 2s/3s, stabilization 6s, 1-4 instances) so autoscaling shows within a minute.",
        };
        var webApp = new Option<FileInfo?>("--webapp") { Description = "Discovery.WebApp.dll to run. Default: the repo's build output." };
        var withPostgres = new Option<bool>("--with-postgres")
        {
            Description = "Also a Postgres primary on node-1 and a streaming replica on node-2 (run by their node agents, fenced failover), " +
                          "and the todo app on every node, routed by nginx on host todo.* (needs postgresql-15 and --nodes >= 2).",
        };
        var postgresSync = new Option<bool>("--postgres-sync")
        {
            Description = "With --with-postgres: synchronousCommit on (a failover loses no acknowledged write; writes wait while the replica is away). Default off.",
        };

        var command = new Command("up",
            "Start the local lab on loopback: 3 Consul servers (UI on the first), a Consul client per node, ACLs with a token per role, " +
            "a node agent per node running the sample app, scalers, and nginx fed by the renderer. Waits until healthy.\n\n" +
            "Examples:\n  agent lab up\n  agent lab up --nodes 2 --scalers 1 --detach\n  agent lab up --fast     # autoscaling visible within a minute\n" +
            "  agent lab up --with-postgres   # + Postgres primary/replica with failover and the todo app");
        location.AddTo(command);
        logging.AddTo(command);
        command.Options.Add(nodes);
        command.Options.Add(scalers);
        command.Options.Add(detach);
        command.Options.Add(baseAddress);
        command.Options.Add(consulOnly);
        command.Options.Add(fast);
        command.Options.Add(webApp);
        command.Options.Add(withPostgres);
        command.Options.Add(postgresSync);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            using var loggers = logging.CreateLoggerFactory(parseResult);
            var repoRoot = LabPaths.FindRepoRoot() ?? throw new UsageException("run `agent lab up` inside the Discovery repository (the lab uses its consul/ and nginx-templates/ files)");
            var (agentCommand, agentArgs) = SelfCommand();
            var options = new LabOptions
            {
                StateDirectory = location.Resolve(parseResult),
                RepoRoot = repoRoot,
                Nodes = parseResult.GetValue(nodes),
                Scalers = parseResult.GetValue(scalers),
                AddressPrefix = NormalizePrefix(parseResult.GetRequiredValue(baseAddress)),
                ConsulBinary = Tool("DISCOVERY_CONSUL", Path.Combine(repoRoot, ".tools", "bin", "consul"), "consul"),
                NginxBinary = Tool("DISCOVERY_NGINX", "/usr/sbin/nginx", "nginx"),
                AgentCommand = agentCommand,
                AgentArgsPrefix = agentArgs,
                DotnetHost = DotnetHost(),
                WebAppAssembly = parseResult.GetValue(webApp)?.FullName ?? FindBuiltApp(repoRoot, "Discovery.WebApp"),
                WithPostgres = parseResult.GetValue(withPostgres),
                PostgresSynchronousCommit = parseResult.GetValue(postgresSync),
                TodoAppAssembly = FindBuiltApp(repoRoot, "Discovery.TodoApp"),
                ConsulOnly = parseResult.GetValue(consulOnly),
                Fast = parseResult.GetValue(fast),
            };

            var stopwatch = Stopwatch.StartNew();
            var lab = await new LabOrchestrator(options, loggers, TimeProvider.System).UpAsync(cancellationToken);
            var detached = parseResult.GetValue(detach);
            Console.WriteLine(LabBanner.Render(lab, options, stopwatch.Elapsed, detached));
            if (detached)
            {
                lab.Detach();
                return ExitCodes.Ok;
            }

            try
            {
                await ShowUntilCancelledAsync(lab, options, cancellationToken);
            }
            finally
            {
                Console.WriteLine("Stopping the lab…");
                await lab.StopAsync();
                Console.WriteLine("Lab stopped; nothing left running.");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task ShowUntilCancelledAsync(RunningLab lab, LabOptions options, CancellationToken cancellationToken)
    {
        var operatorConnection = new ConsulConnectionConfig(lab.Topology.Servers[0].HttpAddress, null, lab.OperatorTokenFile, null);
        using var client = await ConsulConnection.CreateClientAsync(operatorConnection, TimeProvider.System, cancellationToken);
        await FleetStatusLive.ShowAsync(client, options.KvPrefix, null, StatusRefresh, cancellationToken);
    }

    /// <summary>"127.0.0" or "127.0.0.0" → "127.0.0".</summary>
    internal static string NormalizePrefix(string value)
    {
        var octets = value.Trim().Split('.');
        return octets.Length == 4 && octets[3] is "0" or "x" ? string.Join('.', octets.Take(3)) : value.Trim();
    }

    /// <summary>How to start this same `agent` again as a child: the apphost, or dotnet + agent.dll.</summary>
    private static (string Command, IReadOnlyList<string> Args) SelfCommand()
    {
        var processPath = Environment.ProcessPath ?? "agent";
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? (processPath, [Path.Combine(AppContext.BaseDirectory, Assembly.GetEntryAssembly()!.GetName().Name + ".dll")])
            : (processPath, []);
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";

    private static string Tool(string environmentVariable, string preferred, string onPath)
    {
        if (Environment.GetEnvironmentVariable(environmentVariable) is { Length: > 0 } configured)
        {
            return configured;
        }

        if (File.Exists(preferred))
        {
            return preferred;
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, onPath))
            .FirstOrDefault(File.Exists);
        return found ?? preferred;
    }

    /// <summary>A sample app's build output (Release first), e.g. src/Discovery.WebApp/bin/Release/net10.0/Discovery.WebApp.dll.</summary>
    private static string? FindBuiltApp(string repoRoot, string project) =>
        new[] { "Release", "Debug" }
            .Select(configuration => Path.Combine(repoRoot, "src", project, "bin", configuration, "net10.0", project + ".dll"))
            .FirstOrDefault(File.Exists);
}
