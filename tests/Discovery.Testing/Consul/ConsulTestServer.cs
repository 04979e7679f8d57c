using System.Diagnostics;
using System.Net;
using System.Text;
using Discovery.Consul;
using Discovery.Consul.Sessions;
using Discovery.Testing.Network;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Testing.Consul;

/// <summary>
/// A real Consul agent in dev mode (single server, in-memory state) on its own loopback address
/// and free ports, in its own temp dir. Ready means it has a leader and can create a session.
/// Dispose kills exactly the process it started and, when given a test output, writes the
/// agent's log there (xunit shows it for failing tests).
/// </summary>
public sealed class ConsulTestServer : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly ConsulTestServerOptions _options;
    private readonly ITestOutputHelper? _output;
    private readonly StringBuilder _log = new();
    private readonly int[] _ports;
    private Process? _process;

    private ConsulTestServer(ConsulTestServerOptions options, ITestOutputHelper? output)
    {
        _options = options;
        _output = output;
        Address = LoopbackAddress.Allocate();
        _ports = LoopbackAddress.FreePorts(Address, 4);
        NodeName = options.NodeName ?? "test-" + Address.ToString().Replace('.', '-');
        DataDirectory = Directory.CreateTempSubdirectory("discovery-consul-").FullName;
    }

    /// <summary>The loopback address the agent binds (HTTP, serf and RPC).</summary>
    public IPAddress Address { get; }

    /// <summary>HTTP API port.</summary>
    public int HttpPort => _ports[0];

    /// <summary>Base URL of the HTTP API.</summary>
    public Uri HttpAddress => new($"http://{Address}:{HttpPort}");

    /// <summary>The agent's node name.</summary>
    public string NodeName { get; }

    /// <summary>Temp dir holding config and log; removed on dispose.</summary>
    public string DataDirectory { get; }

    /// <summary>Token with every permission when ACLs are on.</summary>
    public string MasterToken { get; } = Guid.NewGuid().ToString();

    /// <summary>Pid of the running agent, or null while stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    /// <summary>Everything the agent logged so far.</summary>
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

    /// <summary>Starts an agent and waits until it is ready.</summary>
    public static async Task<ConsulTestServer> StartAsync(ITestOutputHelper? output = null, ConsulTestServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new ConsulTestServer(options ?? new ConsulTestServerOptions(), output);
        try
        {
            await server.StartProcessAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client for this agent; with ACLs on it uses the master token unless told otherwise.</summary>
    public ConsulClient CreateClient(string? token = null, TimeSpan? requestTimeout = null) => new(new ConsulClientOptions
    {
        Address = HttpAddress,
        Token = token ?? (_options.AclDefaultDeny ? MasterToken : null),
        RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5),
    });

    /// <summary>Kills the agent (SIGKILL). Dev mode keeps nothing: a restart comes back empty.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Kills and starts the agent again on the same address and ports.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await KillAsync();
        await StartProcessAsync(cancellationToken);
    }

    /// <summary>Starts the agent again after <see cref="KillAsync"/>.</summary>
    public Task StartAgainAsync(CancellationToken cancellationToken = default) => StartProcessAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        if (_output is not null)
        {
            var log = Log;
            _output.WriteLine($"--- consul agent {NodeName} at {HttpAddress} log (last 8000 chars) ---");
            _output.WriteLine(log.Length > 8000 ? log[^8000..] : log);
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the OS temp cleaner gets it otherwise
        }
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var config = Path.Combine(DataDirectory, "test.hcl");
        var hcl = new StringBuilder()
            .AppendLine($"ports {{ http = {_ports[0]}, serf_lan = {_ports[1]}, serf_wan = {_ports[2]}, server = {_ports[3]}, dns = -1, grpc = -1{(_options.ExtraPorts is { } extra ? ", " + extra : "")} }}")
            .AppendLine("disable_update_check = true")
            .AppendLine("log_level = \"debug\"");
        if (_options.AclDefaultDeny)
        {
            hcl.AppendLine($"acl {{ enabled = true, default_policy = \"deny\", tokens {{ master = \"{MasterToken}\", agent = \"{MasterToken}\" }} }}");
        }

        hcl.AppendLine(_options.ExtraHcl ?? "");
        await File.WriteAllTextAsync(config, hcl.ToString(), cancellationToken);

        var start = new ProcessStartInfo(ToolPaths.Consul)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "agent", "-dev", "-node", NodeName, "-bind", Address.ToString(), "-client", Address.ToString(),
                     "-config-file", config,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process, cancellationToken);
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        using var client = CreateClient(requestTimeout: TimeSpan.FromSeconds(2));
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"consul exited with {process.ExitCode} during start-up:\n{Log}");
            }

            try
            {
                if (!string.IsNullOrEmpty(await client.Status.LeaderAsync(cancellationToken)))
                {
                    var session = await client.Sessions.CreateAsync(new SessionRequest { Name = "fixture-ready-probe" }, cancellationToken: cancellationToken);
                    await client.Sessions.DestroyAsync(session, cancellationToken: cancellationToken);
                    return;
                }
            }
            catch (ConsulException error)
            {
                last = error;
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"consul at {HttpAddress} not ready after {ReadyTimeout.TotalSeconds}s (last: {last?.Message}):\n{Log}");
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
