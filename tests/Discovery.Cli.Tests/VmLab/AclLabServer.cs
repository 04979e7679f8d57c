using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Discovery.Core.Lab;
using Discovery.Testing.Tools;
using Microsoft.Extensions.Logging.Abstractions;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// A real single Consul server started from the shared consul/server.hcl (plus the lab values a
/// lab passes: bootstrap_expect 1, a free loopback address and ports, a temp data dir, and the
/// management token as the VM lab sets it), on which the VM lab's own
/// vagrant/provision/acl-tokens.sh creates the policies and tokens — the same script, the same
/// token layout as the VMs. Before that, the local lab's own <c>LabAcl</c> (what `agent lab up`
/// runs) creates its policies and tokens on the same server, so <see cref="AclTable"/> runs once per
/// lab against one Consul. The server is killed by pid on dispose.
/// </summary>
public sealed class AclLabServer : IAsyncLifetime
{
    public const string NodeName = "acltest";

    /// <summary>A second node in the catalog, for the rows that reach beyond the token's own node.</summary>
    public const string OtherNode = "othernode";

    /// <summary>The labs whose tokens <see cref="AclTable"/> runs with.</summary>
    public static readonly string[] Labs = ["vm", "local"];

    /// <summary>The local lab's load balancer; the VM tokens' renderer is renderer-<see cref="NodeName"/>.</summary>
    public const string LocalLoadBalancer = "lb1";

    /// <summary>Token names as the Vagrantfile lays them out for one node that has every role.</summary>
    public static readonly string[] TokenNames =
        [$"consul-agent-{NodeName}", $"node-agent-{NodeName}", $"scaler-{NodeName}", $"renderer-{NodeName}", $"pg-node-agent-{NodeName}", "todo-app", "operator"];

    /// <summary>Tokens one lab shares between its nodes (named without a node).</summary>
    public static readonly string[] SharedTokenNames = ["todo-app", "operator"];

    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("discovery-acl-lab-");
    private Process? _consul;

    public string HttpAddress { get; private set; } = "";

    public string LabFolder => Path.Combine(_temp.FullName, "lab");

    public CommandResult FirstScriptRun { get; private set; } = new(-1, "", "");

    /// <summary>The local lab's secrets, as `agent lab up` generates them.</summary>
    internal LabTokens? LocalTokens { get; private set; }

    /// <summary>A session on <see cref="OtherNode"/> (the {session} of the table).</summary>
    public string OtherSession { get; private set; } = "";

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string Secret(string tokenName) =>
        File.ReadAllText(Path.Combine(LabFolder, "secrets", "tokens", tokenName + ".secret")).Trim();

    public async Task InitializeAsync()
    {
        // A private loopback address per fixture, so parallel Consul fixtures never collide.
        var address = $"127.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(0, 250)}.{Random.Shared.Next(2, 250)}";
        var ports = Enumerable.Range(0, 3).Select(_ => FreePort(address)).ToArray();
        HttpAddress = $"http://{address}:{ports[0]}";

        foreach (var token in TokenNames.Append("management"))
        {
            WriteSecret($"tokens/{token}.accessor", Guid.NewGuid().ToString());
            WriteSecret($"tokens/{token}.secret", Guid.NewGuid().ToString());
        }

        var labValues = Path.Combine(_temp.FullName, "lab.hcl");
        // Consul 1.8 names the initial management token `master`; the VM lab's current Consul
        // calls it `initial_management` (same meaning: the first leader creates it).
        await File.WriteAllTextAsync(labValues, $$"""
            bootstrap_expect = 1
            node_name        = "{{NodeName}}"
            data_dir         = "{{Path.Combine(_temp.FullName, "data")}}"
            bind_addr        = "{{address}}"
            client_addr      = "{{address}}"
            ports {
              http     = {{ports[0]}}
              serf_lan = {{ports[1]}}
              server   = {{ports[2]}}
              serf_wan = -1
              dns      = -1
              grpc     = -1
            }
            acl {
              tokens {
                master = "{{Secret("management")}}"
                agent  = "{{Secret("management")}}"
              }
            }
            """);

        var start = new ProcessStartInfo(ToolPaths.Consul)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "agent", "-config-file", VmLabFiles.FullPath("consul/server.hcl"), "-config-file", labValues })
        {
            start.ArgumentList.Add(argument);
        }

        _consul = Process.Start(start) ?? throw new InvalidOperationException("consul did not start");
        _consul.OutputDataReceived += (_, _) => { };
        _consul.ErrorDataReceived += (_, _) => { };
        _consul.BeginOutputReadLine();
        _consul.BeginErrorReadLine();

        await WaitForManagementTokenAsync();
        await CreateLocalLabAclAsync();
        FirstScriptRun = await RunAclTokensScriptAsync(CancellationToken.None);
        await ManagementAsync(HttpMethod.Put, "/v1/catalog/register", $$"""{"Node":"{{OtherNode}}","Address":"10.99.0.2"}""");
        using var session = JsonDocument.Parse(await ManagementAsync(HttpMethod.Put, "/v1/session/create", $$"""{"Node":"{{OtherNode}}","Checks":[]}"""));
        OtherSession = session.RootElement.GetProperty("ID").GetString()!;
    }

    /// <summary>The secret of a role's token in a lab (null for "anonymous").</summary>
    public string? RoleSecret(string lab, string role) => (lab, role) switch
    {
        (_, "anonymous") => null,
        ("vm", _) when SharedTokenNames.Contains(role) => Secret(role),
        ("vm", _) => Secret($"{role}-{NodeName}"),
        ("local", "operator") => LocalTokens!.Operator,
        ("local", "todo-app") => LocalTokens!.TodoApp,
        ("local", "renderer") => LocalTokens!.Renderer,
        ("local", "node-agent") => LocalTokens!.NodeAgents[NodeName],
        ("local", "scaler") => LocalTokens!.Scalers[NodeName],
        ("local", "consul-agent") => LocalTokens!.ConsulAgents[NodeName],
        _ => throw new ArgumentException($"no {role} token in lab {lab}"),
    };

    /// <summary>
    /// Whether the lab has a token for the role here. The local lab's Postgres members are node-1
    /// and node-2, whose node agents carry discovery-postgres; this fixture's single local node runs
    /// none, so the pg-node-agent rows run with the VM lab's layout only.
    /// </summary>
    public static bool HasRole(string lab, string role) => lab == "vm" || role != "pg-node-agent";

    /// <summary>Replaces the table's placeholders with this lab's names.</summary>
    public string Fill(string lab, string text) => text
        .Replace("{node}", NodeName, StringComparison.Ordinal)
        .Replace("{other}", OtherNode, StringComparison.Ordinal)
        .Replace("{lb}", lab == "vm" ? NodeName : LocalLoadBalancer, StringComparison.Ordinal)
        .Replace("{session}", OtherSession, StringComparison.Ordinal);

    /// <summary>
    /// `agent lab up --with-postgres`'s ACL step for a lab whose only app node (with a scaler) is this
    /// server's node, and whose load balancer is <see cref="LocalLoadBalancer"/>.
    /// </summary>
    private async Task CreateLocalLabAclAsync()
    {
        var address = IPAddress.Loopback;
        var topology = new LabTopology([], [new LabHost(NodeName, LabRole.AppNode, address, RunsScaler: true)], new LabHost(LocalLoadBalancer, LabRole.LoadBalancer, address));
        var options = new LabOptions { StateDirectory = Path.Combine(_temp.FullName, "local"), RepoRoot = VmLabFiles.Root, ConsulBinary = ToolPaths.Consul, WithPostgres = true };
        LocalTokens = LabTokens.Generate(topology) with { Management = Secret("management") };
        await new LabAcl(new Uri(HttpAddress), new LabConfigFiles(options, topology), options, topology, NullLogger.Instance)
            .CreateAllAsync(LocalTokens, CancellationToken.None);
    }

    private async Task WaitForManagementTokenAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await ManagementAsync(HttpMethod.Get, "/v1/acl/token/self", null);
                return;
            }
            catch (Exception e) when ((e is HttpRequestException or TaskCanceledException) && deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }
    }

    private async Task<string> ManagementAsync(HttpMethod method, string path, string? body)
    {
        using var request = new HttpRequestMessage(method, HttpAddress + path);
        request.Headers.Add("X-Consul-Token", Secret("management"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>Runs vagrant/provision/acl-tokens.sh against this server, as the VMs do.</summary>
    public Task<CommandResult> RunAclTokensScriptAsync(CancellationToken cancellationToken)
    {
        var consulFolder = Path.GetDirectoryName(ToolPaths.Consul)!;
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = consulFolder + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["DISCOVERY_REPO"] = VmLabFiles.Root,
            ["DISCOVERY_LAB"] = LabFolder,
            ["CONSUL_HTTP_ADDR"] = HttpAddress,
            ["TOKENS"] = string.Join(' ', TokenNames),
            ["DATACENTER"] = "dc1",
            ["APPS"] = "web todo",
            ["NODE_NAME"] = NodeName,
            ["TOKEN_WAIT_SECONDS"] = "60",
        };
        return ExternalCommand.RunAsync(
            VmLabFiles.FullPath("vagrant/provision/acl-tokens.sh"), [], TimeSpan.FromSeconds(120), environment, VmLabFiles.Root, cancellationToken);
    }

    public Task DisposeAsync()
    {
        Http.Dispose();
        if (_consul is { HasExited: false })
        {
            _consul.Kill(entireProcessTree: true);
            _consul.WaitForExit(10_000);
        }

        _consul?.Dispose();
        _temp.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private void WriteSecret(string relative, string value)
    {
        var path = Path.Combine(LabFolder, "secrets", relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, value + "\n");
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
