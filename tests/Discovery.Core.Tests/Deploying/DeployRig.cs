using System.Net.Http.Json;
using System.Text.Json;
using Discovery.Core.Deploying;
using Discovery.Core.NodeAgent.Configuration;
using Discovery.Core.NodeAgent.Hosting;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Scaling.Store;
using Discovery.Core.Tests.NodeAgent.Draining;
using Discovery.Core.Tests.NodeAgent.Hosting;
using Discovery.Core.Tests.Scaling.Service;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing.Nginx;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Deploying;

/// <summary>
/// A lab for deploys, everything real but the scaler's metric: Consul, a node agent running the
/// sample app from one artifact folder per version (each folder's <c>run</c> script is that
/// version's build: 1.0.0, 1.1.0, and a bad 9.9.9-bad that fails its health check), the renderer
/// pushing the peer set to nginx, and a scaler leader deciding the deploy.
/// </summary>
internal sealed class DeployRig : IAsyncDisposable
{
    public const string BadVersion = "9.9.9-bad";
    public const string ErrorVersion = "9.9.9-errors";
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.Zero }) { Timeout = TimeSpan.FromSeconds(10) };
    private readonly CancellationTokenSource _stopRenderer = new();
    private readonly ITestOutputHelper _output;
    private Task<int>? _renderer;

    private DeployRig(ITestOutputHelper output, NodeAgentTestHarness harness, NginxTestServer nginx)
    {
        _output = output;
        Harness = harness;
        Nginx = nginx;
    }

    public NodeAgentTestHarness Harness { get; }

    public NginxTestServer Nginx { get; }

    public SettableMetricSource Metric { get; } = new();

    public List<RunningScaler> Scalers { get; } = [];

    public ScalerKeys Keys { get; } = new("discovery", "web");

    public DeployOperation Deploys => new(Harness.Consul, "discovery");

    /// <summary>Starts everything with <paramref name="count"/> instances of 1.0.0 passing and routed.</summary>
    public static async Task<DeployRig> StartAsync(ITestOutputHelper output, ScalingPolicy policy, int count, int scalers = 1)
    {
        var harness = await NodeAgentTestHarness.CreateAsync(output);
        var rig = new DeployRig(output, harness, await NginxTestServer.StartAsync(output));
        rig._renderer = RendererHost.RunAsync(DrainThroughNginxTests.RendererConfig(harness, rig.Nginx), new TestOutputLoggerFactory(output), rig._stopRenderer.Token);
        var artifacts = Path.Combine(harness.Scope.Directory, "artifacts");
        WriteBuild(artifacts, "1.0.0", "none");
        WriteBuild(artifacts, "1.1.0", "none");
        WriteBuild(artifacts, BadVersion, "health");
        WriteBuild(artifacts, ErrorVersion, "errors:50");
        var app = harness.WebApp() with
        {
            Version = "1.0.0",
            Command = "{artifacts}/run",
            Args = ["--port", "{port}", "--address", "{address}", "--app", "{app}", "--node", "{node}", "--instance", "{instance}", "--drain-timeout", "5"],
            Artifacts = Path.Combine(artifacts, "{version}"),
        };
        // The scaler places by Consul node name, and only believable instances are routed (issue 12):
        // the node agent carries the Consul node's name and advertises its address.
        await harness.StartAgentAsync(harness.NodeConfig(app) with { Name = harness.Server.NodeName, AdvertiseAddress = harness.Server.Address.ToString() });
        rig.Metric.Set(100 * count);
        for (var i = 0; i < scalers; i++)
        {
            rig.Scalers.Add(RunningScaler.Start($"scaler-{(char)('a' + i)}", harness.Consul, policy, rig.Metric, output));
        }

        try
        {
            await rig.UntilAsync(async () => (await rig.RoutedVersionsAsync()).Count(version => version == "1.0.0") == count, $"{count} instances of 1.0.0 routed");
            return rig;
        }
        catch
        {
            await rig.DisposeAsync(); // the caller never gets the rig: stop what it started here
            throw;
        }
    }

    public static ScalingPolicy Policy(int min, int max) => ScalingPolicy.Default with
    {
        Min = min,
        Max = max,
        UpperRpm = 100,
        LowerRpm = 10,
        EvaluationInterval = TimeSpan.FromSeconds(1), // the least a policy may ask for (issue 12)
        ScaleUpCooldown = TimeSpan.Zero,
        ScaleDownCooldown = TimeSpan.Zero,
        ScaleDownStabilization = TimeSpan.Zero,
    };

    /// <summary>The versions of the instances nginx routes to now (passing and in the routed list).</summary>
    public async Task<IReadOnlyList<string>> RoutedVersionsAsync()
    {
        var routed = await RoutedAsync();
        var entries = (await Harness.Consul.Health.ServiceAsync("web", passingOnly: true)).Value;
        return [.. entries.Where(entry => routed.Contains(entry.Service.ID)).Select(entry => entry.Service.Meta!["version"]).Order(StringComparer.Ordinal)];
    }

    /// <summary>Every version registered, passing or not.</summary>
    public async Task<IReadOnlyList<string>> RegisteredVersionsAsync() =>
        [.. (await Harness.Consul.Health.ServiceAsync("web")).Value.Select(entry => entry.Service.Meta!["version"]).Order(StringComparer.Ordinal)];

    public async Task<IReadOnlySet<string>> RoutedAsync()
    {
        var pair = (await Harness.Consul.KV.GetAsync("discovery/lb/lb1/routed")).Value;
        return pair is null ? new HashSet<string>() : ScaleOperation.ReadRouted(pair.ValueAsString());
    }

    public async Task<DeployState?> StateAsync()
    {
        var pair = (await Harness.Consul.KV.GetAsync(Keys.Deploy)).Value;
        return pair is null ? null : DeployRequestJson.ReadState(pair.ValueAsString(), out _);
    }

    /// <summary>The history's deploy entries, oldest first.</summary>
    public async Task<IReadOnlyList<DecisionRecord>> DeployHistoryAsync() =>
        [.. (await Harness.Consul.KV.ListAsync(Keys.HistoryPrefix)).Value
            .Select(pair => DecisionRecordJson.TryRead(pair.ValueAsString()))
            .OfType<DecisionRecord>()
            .Where(record => record.Kind == "deploy")
            .OrderBy(record => record.Sequence)];

    /// <summary>Asks for a deploy the way `agent deploy` does and waits for its end (a canary: until it runs).</summary>
    public async Task<OperationResult> DeployAsync(DeployRequest request, TimeSpan timeout)
    {
        var (requested, index) = await Deploys.RequestAsync("web", request, CancellationToken.None);
        Assert.True(requested.Succeeded, requested.Message);
        var result = await Deploys.WaitAsync("web", index, timeout, new Progress<string>(line => _output.WriteLine("deploy: " + line)), CancellationToken.None);
        _output.WriteLine($"deploy result: {result.Status}: {result.Message}");
        return result;
    }

    /// <summary>Which version answered each of <paramref name="requests"/> requests through nginx.</summary>
    public async Task<IReadOnlyDictionary<string, int>> VersionSharesAsync(int requests)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < requests; i++)
        {
            using var body = await Http.GetFromJsonAsync<JsonDocument>(new Uri(Nginx.BaseAddress, "/"));
            var version = body!.RootElement.GetProperty("version").GetString()!;
            counts[version] = counts.GetValueOrDefault(version) + 1;
        }

        return counts;
    }

    public Task UntilAsync(Func<Task<bool>> condition, string because) => NodeAgentTestHarness.EventuallyAsync(condition, because);

    public async ValueTask DisposeAsync()
    {
        foreach (var scaler in Scalers)
        {
            await scaler.DisposeAsync();
        }

        await _stopRenderer.CancelAsync();
        if (_renderer is not null)
        {
            await _renderer.WaitAsync(TimeSpan.FromSeconds(20));
        }

        await Harness.DisposeAsync();
        await Nginx.DisposeAsync();
        _stopRenderer.Dispose();
    }

    /// <summary>One version's "build": a folder whose run script starts the sample app as that version (and with its failure mode).</summary>
    private static void WriteBuild(string artifacts, string version, string failure)
    {
        var folder = Directory.CreateDirectory(Path.Combine(artifacts, version)).FullName;
        var run = Path.Combine(folder, "run");
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("the deploy rig runs on Linux");
        }

        File.WriteAllText(run, $"#!/bin/sh\nexec dotnet '{NodeAgentTestHarness.WebAppDll}' --version '{version}' --failure '{failure}' \"$@\"\n");
        File.SetUnixFileMode(run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
