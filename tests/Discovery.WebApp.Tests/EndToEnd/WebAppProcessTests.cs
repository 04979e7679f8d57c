using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Discovery.WebApp.Tests.EndToEnd;

/// <summary>The built app as a real child process: identity, health, delays, bad arguments, slow start and draining.</summary>
public sealed class WebAppProcessTests
{
    private static readonly TimeSpan BoundedWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task GetRoot_WithIdentityArguments_ReportsThatIdentity()
    {
        // A loopback address other than 127.0.0.1 proves --address is what Kestrel binds.
        var address = IPAddress.Parse("127.0.0.42");
        await using var app = await WebAppProcess.StartAsync(
            ["--app", "shop", "--version", "2.3.4", "--node", "node-a", "--instance", "shop-node-a-1"], address);

        var first = await app.GetIdentityAsync();
        var second = await app.GetIdentityAsync();

        Assert.Equal("shop", first.GetProperty("app").GetString());
        Assert.Equal("2.3.4", first.GetProperty("version").GetString());
        Assert.Equal("node-a", first.GetProperty("node").GetString());
        Assert.Equal("shop-node-a-1", first.GetProperty("instance").GetString());
        Assert.Equal("127.0.0.42", first.GetProperty("address").GetString());
        Assert.Equal(app.EndPoint.Port, first.GetProperty("port").GetInt32());
        Assert.Equal(app.Pid, first.GetProperty("pid").GetInt32());
        Assert.True(first.GetProperty("uptimeSeconds").GetDouble() > 0);
        Assert.Equal(1, first.GetProperty("requestCount").GetInt64());
        Assert.Equal(2, second.GetProperty("requestCount").GetInt64());
        Assert.Equal(1, first.GetProperty("inFlight").GetInt32());
    }

    [Fact]
    public async Task GetRoot_WithSettingsFromEnvironment_ReportsThemAndArgumentsWin()
    {
        await using var app = await WebAppProcess.StartAsync(
            ["--version", "9.9.9"],
            environment: new Dictionary<string, string?> { ["WEBAPP_APP"] = "from-env", ["WEBAPP_NODE"] = "env-node", ["WEBAPP_VERSION"] = "0.0.1" });

        var identity = await app.GetIdentityAsync();

        Assert.Equal("from-env", identity.GetProperty("app").GetString());
        Assert.Equal("9.9.9", identity.GetProperty("version").GetString());
        Assert.Equal($"from-env-env-node-{app.EndPoint.Port}", identity.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task GetHealth_WhenServing_Returns200Serving()
    {
        await using var app = await WebAppProcess.StartAsync([]);

        using var response = await app.Client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"serving"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetRoot_WithDelay_TakesAtLeastTheDelay()
    {
        await using var app = await WebAppProcess.StartAsync([]);
        await app.GetIdentityAsync(); // warm up the connection and the JIT, so only the delay is left

        var clock = Stopwatch.StartNew();
        await app.GetIdentityAsync("/?delay=300");

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(300), $"answered after {clock.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task GetRoot_WithInvalidDelay_Returns400WithReason()
    {
        await using var app = await WebAppProcess.StartAsync([]);

        foreach (var delay in new[] { "-1", "60001", "abc", "1.5", "" })
        {
            using var response = await app.Client.GetAsync($"/?delay={delay}");
            Assert.True(HttpStatusCode.BadRequest == response.StatusCode, $"delay={delay} → {(int)response.StatusCode}");
            Assert.Contains("delay must be", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "--port", "abc", "--bogus", "x" }, "--port 'abc' is not a port number", "unknown option '--bogus'")]
    [InlineData(new[] { "--app", "web" }, "--port (or WEBAPP_PORT) is required", "usage:")]
    [InlineData(new[] { "--port", "8080", "--address", "localhost", "--drain-timeout", "-3" }, "--address 'localhost' is not an IP address", "--drain-timeout '-3'")]
    public async Task Start_WithBadArguments_ExitsWith2AndNamesEveryProblem(string[] arguments, string firstProblem, string secondProblem)
    {
        await using var app = await WebAppProcess.RunToExitAsync(arguments);

        Assert.True(app.ExitCode == 2, app.Describe());
        Assert.Contains(firstProblem, app.StandardError, StringComparison.Ordinal);
        Assert.Contains(secondProblem, app.StandardError, StringComparison.Ordinal);
        Assert.Contains("usage:", app.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_WhenPortIsTaken_ExitsWith1AndSaysWhy()
    {
        using var occupant = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        occupant.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        occupant.Listen();
        var port = ((IPEndPoint)occupant.LocalEndPoint!).Port;

        await using var app = await WebAppProcess.RunToExitAsync(["--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.True(app.ExitCode == 1, app.Describe());
        Assert.Contains("could not start on http://127.0.0.1:" + port, app.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHealth_DuringStartupDelay_Returns503ThenServes()
    {
        // Long enough that the first probe surely lands inside it even on a busy machine.
        await using var app = await WebAppProcess.StartAsync(["--startup-delay", "3000"]);

        using (var starting = await app.Client.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
            Assert.Equal("""{"status":"starting"}""", await starting.Content.ReadAsStringAsync());
        }

        await app.Process.WaitForLineAsync(line => line.Contains("serving: /health is 200", StringComparison.Ordinal), BoundedWait, CancellationToken.None);
        using var serving = await app.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, serving.StatusCode);
    }

    [Fact]
    public async Task Sigterm_WhileSlowRequestInFlight_FinishesItRefusesNewWorkAndExitsZero()
    {
        await using var app = await WebAppProcess.StartAsync(["--drain-timeout", "10"]);
        using var slowClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var slowRequest = slowClient.GetAsync(new Uri(app.Client.BaseAddress!, "/?delay=1500"));
        await WaitUntilInFlightAsync(app, expected: 2); // the slow request plus the probe itself

        UnixSignals.Terminate(app.Pid);

        var unavailable = await WaitUntilHealthUnavailableAsync(app);
        Assert.True(unavailable is "refused" or "503", unavailable);
        using (var slowResponse = await slowRequest)
        {
            Assert.Equal(HttpStatusCode.OK, slowResponse.StatusCode);
            var identity = JsonDocument.Parse(await slowResponse.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(app.Pid, identity.GetProperty("pid").GetInt32());
        }

        var exitCode = await app.Process.WaitForExitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.True(exitCode == 0, app.Process.Describe());
        // The slow request is in flight; a /health probe of WaitUntilHealthUnavailableAsync may be too.
        Assert.Matches(@"waiting up to 10s for [12] in-flight request\(s\)", app.Process.StandardOutput);
        Assert.Contains("every in-flight request finished", app.Process.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_WhenDrainTimeoutRunsOut_AbortsTheRequestAndStillExitsZero()
    {
        await using var app = await WebAppProcess.StartAsync(["--drain-timeout", "0.5"]);
        using var slowClient = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var slowRequest = slowClient.GetAsync(new Uri(app.Client.BaseAddress!, "/?delay=20000"));
        await WaitUntilInFlightAsync(app, expected: 2);

        UnixSignals.Terminate(app.Pid);

        var exitCode = await app.Process.WaitForExitAsync(BoundedWait, CancellationToken.None);
        Assert.True(exitCode == 0, app.Process.Describe());
        await Assert.ThrowsAsync<HttpRequestException>(() => slowRequest);
        Assert.Contains("1 request(s) aborted", app.Process.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigint_WhenIdle_ExitsZero()
    {
        await using var app = await WebAppProcess.StartAsync([]);

        UnixSignals.Interrupt(app.Pid);

        var exitCode = await app.Process.WaitForExitAsync(BoundedWait, CancellationToken.None);
        Assert.True(exitCode == 0, app.Process.Describe());
        Assert.Contains("draining: /health is 503", app.Process.StandardOutput, StringComparison.Ordinal);
    }

    private static async Task WaitUntilInFlightAsync(WebAppProcess app, int expected)
    {
        var deadline = Stopwatch.StartNew();
        while ((await app.GetIdentityAsync()).GetProperty("inFlight").GetInt32() < expected)
        {
            Assert.True(deadline.Elapsed < BoundedWait, $"never saw {expected} requests in flight. {app.Process.Describe()}");
            await Task.Delay(20);
        }
    }

    /// <summary>Probes /health on fresh connections until it is no longer 200; returns "503" or "refused".</summary>
    private static async Task<string> WaitUntilHealthUnavailableAsync(WebAppProcess app)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await app.SendOnNewConnectionAsync("/health");
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (HttpRequestException refused) when (refused.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return "refused";
            }

            Assert.True(deadline.Elapsed < BoundedWait, $"/health still 200 after SIGTERM. {app.Process.Describe()}");
            await Task.Delay(20);
        }
    }
}
