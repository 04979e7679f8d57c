using System.Diagnostics;
using System.Net;
using System.Text;
using Discovery.Consul;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;

namespace Discovery.Testing.Consul;

/// <summary>One server of a <see cref="ConsulClusterFixture"/>: its own loopback address, ports and data dir.</summary>
public sealed class ConsulClusterMember
{
    private readonly StringBuilder _log = new();
    private readonly int[] _ports;
    private Process? _process;

    internal ConsulClusterMember(int index, string rootDirectory)
    {
        Index = index;
        Address = LoopbackAddress.Allocate();
        _ports = LoopbackAddress.FreePorts(Address, 4);
        NodeName = $"server-{index}-" + Address.ToString().Replace('.', '-');
        DataDirectory = Path.Combine(rootDirectory, NodeName);
        Directory.CreateDirectory(DataDirectory);
    }

    /// <summary>Position in the cluster (0-based).</summary>
    public int Index { get; }

    /// <summary>The loopback address the server binds (HTTP, serf and RPC).</summary>
    public IPAddress Address { get; }

    /// <summary>Base URL of the HTTP API.</summary>
    public Uri HttpAddress => new($"http://{Address}:{_ports[0]}");

    /// <summary>host:port of the LAN gossip, what other members join.</summary>
    public string SerfLanAddress => $"{Address}:{_ports[1]}";

    /// <summary>The server's node name.</summary>
    public string NodeName { get; }

    /// <summary>Raft/RPC address as Consul reports it in /v1/status/leader.</summary>
    public string ServerRpcAddress => $"{Address}:{_ports[3]}";

    /// <summary>Config, Raft data and log of this server; kept across <see cref="KillAsync"/> so a restart rejoins with its state.</summary>
    public string DataDirectory { get; }

    /// <summary>Pid of the running server, or null while stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    /// <summary>Everything this server logged so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>A client talking to this server's HTTP API.</summary>
    public ConsulClient CreateClient(TimeSpan? requestTimeout = null) => new(new ConsulClientOptions
    {
        Address = HttpAddress,
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
    });

    /// <summary>Kills this server (SIGKILL, by pid). Its data dir stays, so <see cref="Start"/> brings it back with its state.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts (or restarts after <see cref="KillAsync"/>) the server process; does not wait for the cluster.</summary>
    public void Start(IReadOnlyList<ConsulClusterMember> members)
    {
        var config = Path.Combine(DataDirectory, "server.hcl");
        var joins = string.Join(", ", members.Where(m => m != this).Select(m => $"\"{m.SerfLanAddress}\""));
        File.WriteAllText(config, new StringBuilder()
            .AppendLine($"ports {{ http = {_ports[0]}, serf_lan = {_ports[1]}, serf_wan = {_ports[2]}, server = {_ports[3]}, dns = -1, grpc = -1 }}")
            .AppendLine($"data_dir = \"{Path.Combine(DataDirectory, "data")}\"")
            .AppendLine("server = true")
            .AppendLine($"bootstrap_expect = {members.Count}")
            .AppendLine($"retry_join = [{joins}]")
            .AppendLine("retry_interval = \"1s\"")
            .AppendLine("performance { raft_multiplier = 1 }")
            .AppendLine("disable_update_check = true")
            .AppendLine("log_level = \"info\"")
            .ToString());

        var start = new ProcessStartInfo(ToolPaths.Consul)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "agent", "-node", NodeName, "-bind", Address.ToString(), "-client", Address.ToString(), "-config-file", config })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process?.Dispose();
        _process = process;
    }

    /// <summary>Throws when the process has exited (it would never become ready).</summary>
    internal void ThrowIfExited()
    {
        if (_process is { HasExited: true } process)
        {
            throw new InvalidOperationException($"consul server {NodeName} exited with {process.ExitCode}:\n{Log}");
        }
    }

    internal async Task DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
