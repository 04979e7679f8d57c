using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Discovery.Testing.Tools;

namespace Discovery.Cli.Tests.VmLab;

/// <summary>
/// A real single Consul server started from the shared consul/server.hcl (plus the lab values a
/// lab passes: bootstrap_expect 1, a free loopback address and ports, a temp data dir, and the
/// management token as the VM lab sets it), on which the VM lab's own
/// vagrant/provision/acl-tokens.sh creates the policies and tokens — the same script, the same
/// token layout as the VMs. The server is killed by pid on dispose.
/// </summary>
public sealed class AclLabServer : IAsyncLifetime
{
    public const string NodeName = "acltest";

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

        FirstScriptRun = await RunAclTokensScriptAsync(CancellationToken.None);
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
