using System.Net;
using System.Text.Json;
using Discovery.Testing.Network;
using Discovery.Testing.Processes;
using Discovery.WebApp.Settings;

namespace Discovery.WebApp.Tests.EndToEnd;

/// <summary>
/// One real Discovery.WebApp process on a free loopback port, started exactly as the agent will
/// (<c>dotnet Discovery.WebApp.dll --port …</c>), killed by pid on dispose whatever the test did.
/// </summary>
internal sealed class WebAppProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private WebAppProcess(ChildProcess process, IPEndPoint endPoint)
    {
        Process = process;
        EndPoint = endPoint;
        Client = new HttpClient { BaseAddress = new Uri($"http://{endPoint}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The app's dll: the test project references the app, so the build copies it next to the tests.</summary>
    public static string AssemblyPath { get; } = Path.Combine(AppContext.BaseDirectory, "Discovery.WebApp.dll");

    public ChildProcess Process { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>A client for this instance (pooled connections; use <see cref="SendOnNewConnectionAsync"/> to force a fresh one).</summary>
    public HttpClient Client { get; }

    public int Pid => Process.Pid;

    /// <summary>Starts the app with <c>--address</c>/<c>--port</c> filled in and waits for its "listening" line.</summary>
    public static async Task<WebAppProcess> StartAsync(IEnumerable<string> arguments, IPAddress? address = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        address ??= IPAddress.Loopback;
        var endPoint = new IPEndPoint(address, FreeTcpPort.Find(address));
        var child = ChildProcess.StartDotnetApp(
            AssemblyPath,
            ["--address", address.ToString(), "--port", endPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. arguments],
            IsolatedEnvironment(environment));
        var app = new WebAppProcess(child, endPoint);
        try
        {
            await child.WaitForLineAsync(line => line.Contains($"listening on http://{endPoint}", StringComparison.Ordinal), StartTimeout, CancellationToken.None);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the app to completion (for arguments it must reject) and returns it exited.</summary>
    public static async Task<ChildProcess> RunToExitAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var child = ChildProcess.StartDotnetApp(AssemblyPath, arguments, IsolatedEnvironment(environment));
        try
        {
            await child.WaitForExitAsync(StartTimeout, CancellationToken.None);
            return child;
        }
        catch
        {
            await child.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET on a connection of its own: what a new client (or a health checker) would see.</summary>
    public async Task<HttpResponseMessage> SendOnNewConnectionAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.ConnectionClose = true;
        return await client.SendAsync(request);
    }

    /// <summary>GET / and parse the identity JSON.</summary>
    public async Task<JsonElement> GetIdentityAsync(string path = "/")
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} → {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Process.DisposeAsync();
    }

    // The tests' own environment must not leak WEBAPP_* settings into the app under test.
    private static Dictionary<string, string?> IsolatedEnvironment(IReadOnlyDictionary<string, string?>? environment)
    {
        var isolated = KnownOptions.All.ToDictionary(option => option.EnvironmentVariable, _ => (string?)null);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            isolated[name] = value;
        }

        return isolated;
    }
}
