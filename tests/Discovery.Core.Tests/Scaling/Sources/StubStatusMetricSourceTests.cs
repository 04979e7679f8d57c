using Discovery.Consul.Agent;
using Discovery.Core.Scaling.Metrics;
using Discovery.Core.Scaling.Sources;
using Discovery.Core.Tests.TestSupport;
using Discovery.Testing.Network;
using Discovery.Testing.Nginx;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Discovery.Core.Tests.Scaling.Sources;

public sealed class StubStatusMetricSourceTests(ITestOutputHelper output) : ConsulScalingTestBase(output)
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ReadAsync_RealNginxServedRequests_RequestsPerMinuteWithoutOwnScrapes()
    {
        await using var nginx = await StubStatusNginx.StartAsync();
        await RegisterLoadBalancerAsync("lb-a", nginx.StubStatusUrl.ToString());
        using var http = new HttpClient();
        var clock = new FakeTimeProvider(Start);
        var source = CreateSource(http, clock);

        await source.ScrapeOnceAsync(CancellationToken.None);
        for (var i = 0; i < 30; i++)
        {
            (await http.GetAsync(nginx.BaseAddress)).EnsureSuccessStatusCode();
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        await source.ScrapeOnceAsync(CancellationToken.None);
        var reading = await source.ReadAsync("web", CancellationToken.None);

        // nginx counts the scrape itself too; only the 30 client requests in 10 s are traffic.
        Assert.Equal(30 * 6, reading.Value);
    }

    [Fact]
    public async Task RunAsync_NotNeeded_DoesNotScrapeSoFollowersAddNoTraffic()
    {
        await using var nginx = await StubStatusNginx.StartAsync();
        await RegisterLoadBalancerAsync("lb-a", nginx.StubStatusUrl.ToString());
        using var http = new HttpClient();
        var source = new StubStatusMetricSource(Client, http,
            StubStatusSourceOptions.For(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)),
            TimeProvider.System, new CapturingLoggerFactory(Output).CreateLogger<StubStatusMetricSource>());
        var leading = false;
        using var stop = new CancellationTokenSource();
        var run = source.RunAsync(() => Volatile.Read(ref leading), stop.Token);

        var before = await RequestsAsync(http, nginx);
        await Task.Delay(800);
        var whileFollowing = await RequestsAsync(http, nginx) - before;
        Volatile.Write(ref leading, true);
        var startedLeading = before + whileFollowing;
        var ownReads = 0;
        // Four scrapes take 400 ms; allow a loaded 2-core machine far longer before calling it
        // broken. Each look is a request too, so the test's own reads are taken off.
        await EventuallyAsync(
            async () => await RequestsAsync(http, nginx) - startedLeading - ++ownReads >= 4,
            TimeSpan.FromSeconds(10),
            "the source scrapes every 100 ms while leading");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(1, whileFollowing); // only this test's own read
    }

    private static async Task<long> RequestsAsync(HttpClient http, StubStatusNginx nginx) =>
        StubStatusParser.Parse(await http.GetStringAsync(nginx.StubStatusUrl)).Requests;

    [Fact]
    public async Task ReadAsync_OneLoadBalancerUnreachable_MissingNamingIt()
    {
        await using var nginx = await StubStatusNginx.StartAsync();
        var nowhere = LoopbackAddress.Allocate();
        await RegisterLoadBalancerAsync("lb-a", nginx.StubStatusUrl.ToString());
        await RegisterLoadBalancerAsync("lb-down", $"http://{nowhere}:{LoopbackAddress.FreePort(nowhere)}/stub_status");
        using var http = new HttpClient();
        var clock = new FakeTimeProvider(Start);
        var source = CreateSource(http, clock);

        await source.ScrapeOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await source.ScrapeOnceAsync(CancellationToken.None);
        var reading = await source.ReadAsync("web", CancellationToken.None);

        Assert.True(reading.IsMissing);
        Assert.Contains("lb-down", reading.MissingReason, StringComparison.Ordinal);
        Assert.DoesNotContain("lb-a:", reading.MissingReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/", "stub_status:")]              // nginx answers, but not with a status page
    [InlineData("/missing-meta", "service meta")]  // registered without a usable URL
    public async Task ReadAsync_NotAStatusPage_Missing(string path, string reason)
    {
        await using var nginx = await StubStatusNginx.StartAsync();
        await RegisterLoadBalancerAsync("lb-a", path == "/missing-meta" ? "not a url" : new Uri(nginx.BaseAddress, path).ToString());
        using var http = new HttpClient();
        var clock = new FakeTimeProvider(Start);
        var source = CreateSource(http, clock);

        await source.ScrapeOnceAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await source.ScrapeOnceAsync(CancellationToken.None);
        var reading = await source.ReadAsync("web", CancellationToken.None);

        Assert.True(reading.IsMissing);
        Assert.Contains(reason, reading.MissingReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoLoadBalancers_Missing()
    {
        using var http = new HttpClient();
        var source = CreateSource(http, new FakeTimeProvider(Start));

        await source.ScrapeOnceAsync(CancellationToken.None);
        var reading = await source.ReadAsync("web", CancellationToken.None);

        Assert.Equal("no load balancers known", reading.MissingReason);
    }

    private StubStatusMetricSource CreateSource(HttpClient http, TimeProvider clock) => new(
        Client,
        http,
        StubStatusSourceOptions.For(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(2)),
        clock,
        new CapturingLoggerFactory(Output).CreateLogger<StubStatusMetricSource>());

    private Task RegisterLoadBalancerAsync(string id, string stubStatusUrl) =>
        Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = id,
            Name = "lb",
            Port = 80,
            Meta = new Dictionary<string, string> { ["stub_status"] = stubStatusUrl },
        });
}
