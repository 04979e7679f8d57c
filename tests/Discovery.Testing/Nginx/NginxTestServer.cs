using System.Net;
using Discovery.Testing.Network;
using Discovery.Testing.Processes;
using Discovery.Testing.Tools;
using Xunit.Abstractions;

namespace Discovery.Testing.Nginx;

/// <summary>
/// A real nginx (the repository's nginx-templates/nginx.conf) in its own temp <c>-p</c> prefix, on
/// its own loopback address and free ports, in the foreground (<c>daemon off</c>) as a child of
/// the test. Dispose kills exactly that master and its workers.
/// </summary>
public sealed class NginxTestServer : IAsyncDisposable
{
    /// <summary>A syntactically valid upstreams.conf with no app, for a start before the first render.</summary>
    public const string EmptyUpstreams = "map $host $discovery_app {\n    default none;\n}\nmap \"\" $discovery_apps {\n    default \"\";\n}\nmap $discovery_app $discovery_app_known {\n    default 0;\n}\n";

    /// <summary>The bearer secret every test nginx expects on its peer endpoint (nginx.conf reads it from peers/push.secret).</summary>
    public const string PushSecret = "test-push-secret-0123456789";

    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero, UseProxy = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    private readonly ITestOutputHelper? _output;
    private ChildProcess? _process;

    private NginxTestServer(ITestOutputHelper? output, IPAddress address, int port, int statusPort, int peersPort, string prefix)
    {
        _output = output;
        Address = address;
        Port = port;
        StatusPort = statusPort;
        PeersPort = peersPort;
        Prefix = prefix;
    }

    public IPAddress Address { get; }

    /// <summary>Where clients reach the load balancer.</summary>
    public int Port { get; }

    /// <summary>The stub_status listener (loopback only).</summary>
    public int StatusPort { get; }

    /// <summary>The peer endpoint's listener (loopback only).</summary>
    public int PeersPort { get; }

    /// <summary>The <c>-p</c> prefix (with <c>conf/</c>, <c>logs/</c>, <c>lua/</c> and <c>peers/</c>).</summary>
    public string Prefix { get; }

    public string ConfigFile => Path.Combine(Prefix, "conf", "nginx.conf");

    /// <summary>The file nginx.conf includes and the renderer writes.</summary>
    public string UpstreamsFile => Path.Combine(Prefix, "conf", "upstreams.conf");

    public string PidFile => Path.Combine(Prefix, "logs", "nginx.pid");

    /// <summary>The peer set nginx loads at start (nginx.conf: <c>peers/peers.txt</c> under the prefix).</summary>
    public string PeersFile => Path.Combine(Prefix, "peers", "peers.txt");

    /// <summary>The file holding <see cref="PushSecret"/>.</summary>
    public string PushSecretFile => Path.Combine(Prefix, "peers", "push.secret");

    /// <summary>Where peer sets are pushed and read back.</summary>
    public Uri PeersEndpoint => new($"http://{Address}:{PeersPort}/discovery/peers");

    public string ErrorLog => Path.Combine(Prefix, "logs", "error.log");

    public Uri BaseAddress => new($"http://{Address}:{Port}");

    public string StubStatusUrl => $"http://{Address}:{StatusPort}/nginx_status";

    public int? MasterPid => _process is { HasExited: false } ? _process.Pid : null;

    /// <summary>Builds the prefix and, unless <paramref name="start"/> is false, starts nginx and waits for its port.</summary>
    public static async Task<NginxTestServer> StartAsync(ITestOutputHelper? output = null, string upstreams = EmptyUpstreams, bool start = true, CancellationToken cancellationToken = default)
    {
        var address = LoopbackAddress.Allocate();
        var ports = LoopbackAddress.FreePorts(address, 3);
        var prefix = Directory.CreateTempSubdirectory("discovery-nginx-").FullName;
        var conf = Directory.CreateDirectory(Path.Combine(prefix, "conf")).FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var templates = Path.Combine(ToolPaths.RepoRoot, "nginx-templates");
        File.Copy(Path.Combine(templates, "nginx.conf"), Path.Combine(conf, "nginx.conf"));
        CopyFolder(Path.Combine(templates, "lua"), Path.Combine(prefix, "lua"));
        var peers = Directory.CreateDirectory(Path.Combine(prefix, "peers")).FullName;
        if (!OperatingSystem.IsWindows())
        {
            await File.WriteAllTextAsync(Path.Combine(peers, "push.secret"), PushSecret + "\n", cancellationToken);
            File.SetUnixFileMode(Path.Combine(peers, "push.secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await File.WriteAllTextAsync(Path.Combine(conf, "lb-listen.conf"), $"listen {address}:{ports[0]};\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(conf, "lb-status-listen.conf"), $"listen {address}:{ports[1]};\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(conf, "lb-peers-listen.conf"), $"listen {address}:{ports[2]};\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(conf, "upstreams.conf"), upstreams, cancellationToken);
        var server = new NginxTestServer(output, address, ports[0], ports[1], ports[2], prefix);
        if (start)
        {
            await server.StartProcessAsync(cancellationToken);
        }

        return server;
    }

    /// <summary>Starts nginx (again) in the foreground.</summary>
    public async Task StartProcessAsync(CancellationToken cancellationToken = default)
    {
        _process = ChildProcess.Start(ToolPaths.Nginx, [.. CommonArguments(), "-g", "daemon off;"]);
        try
        {
            await _process.WaitForTcpPortAsync(new IPEndPoint(Address, Port), TimeSpan.FromSeconds(20), cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"nginx did not start: {_process.Describe()}\n{ReadErrorLog()}");
        }

        _output?.WriteLine($"nginx pid {_process.Pid} on {BaseAddress} (status {StubStatusUrl}), prefix {Prefix}");
    }

    /// <summary><c>nginx -s reload</c> (what a reload-per-change renderer did, for tests that show its cost); throws with nginx's message when it fails.</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken = default)
    {
        await using var reload = ChildProcess.Start(ToolPaths.Nginx, [.. CommonArguments(), "-s", "reload"]);
        var exitCode = await reload.WaitForExitAsync(TimeSpan.FromSeconds(20), cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"nginx reload failed: {reload.StandardError}");
        }
    }

    /// <summary>One request on a fresh connection (so a reload is seen at once), with the given Host header.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? host = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, path));
        request.Headers.ConnectionClose = true;
        if (host is not null)
        {
            request.Headers.Host = host;
        }

        using var response = await Http.SendAsync(request, cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The worker pids under the running master: a reload replaces every one, a peer push none.</summary>
    public IReadOnlySet<int> WorkerPids()
    {
        var master = MasterPid ?? throw new InvalidOperationException("nginx is not running");
        return File.ReadAllText($"/proc/{master}/task/{master}/children")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(pid => int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture))
            .ToHashSet();
    }

    public string ReadErrorLog()
    {
        try
        {
            return File.ReadAllText(ErrorLog);
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Kills the master (and its workers) by pid; the prefix stays for inspection until dispose.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
            _process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(Prefix, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private string[] CommonArguments() => ["-p", Prefix + "/", "-c", ConfigFile, "-e", ErrorLog];
}
