using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Discovery.Core.Rendering.Peers;
using Discovery.Testing.Load;
using Discovery.Testing.Nginx;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Peers;

/// <summary>nginx's peer endpoint and Lua balancer (nginx-templates/lua/discovery/) in a real nginx with real backends.</summary>
public sealed class PeerEndpointTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Push_NewPeerSet_RoutedFromTheNextRequestWithoutReload()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var a = await lb.AddBackendAsync("a");
        var b = await lb.AddBackendAsync("b");
        var workers = lb.Nginx.WorkerPids();

        await lb.Client.PushAsync(PeerTestNginx.Line(a), CancellationToken.None);
        Assert.Equal(["a"], (await lb.SampleAsync(6)).Distinct());

        await lb.Client.PushAsync(PeerTestNginx.Line(a) + PeerTestNginx.Line(b), CancellationToken.None);
        Assert.Equal(["a", "b"], (await lb.SampleAsync(12)).Distinct().Order());

        await lb.Client.PushAsync(PeerTestNginx.Line(b), CancellationToken.None);
        Assert.Equal(["b"], (await lb.SampleAsync(6)).Distinct());
        Assert.Equal(workers, lb.Nginx.WorkerPids());
    }

    [Fact]
    public async Task Read_AfterPush_NginxViewIsTheCanonicalSetWithVersion()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);

        var pushed = await lb.Client.PushAsync("# a comment\nweb 10.0.0.2:80 2 w2\napi 10.0.0.9:81 1 a1\n\nweb 10.0.0.1:80 1 w1\n", CancellationToken.None);
        var view = await lb.Client.ReadAsync(CancellationToken.None);

        Assert.Equal("accepted 3 peers, skipped 0 lines", pushed.Summary);
        Assert.Equal("api 10.0.0.9:81 1 a1\nweb 10.0.0.2:80 2 w2\nweb 10.0.0.1:80 1 w1\n", view.Text);
        Assert.Equal((view.Text, view.Version), (pushed.View.Text, pushed.View.Version)); // the push's answer is the read-back
        Assert.Equal("push", view.Source);
        Assert.Equal(["a1", "w1", "w2"], view.Set.InstanceIds());
    }

    [Fact]
    public async Task Push_SomeLinesInvalid_ValidOnesUsedInvalidOnesReported()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var a = await lb.AddBackendAsync("a");

        var pushed = await lb.Client.PushAsync(PeerTestNginx.Line(a) + "web evil.example.com:80 1 x\n", CancellationToken.None);

        Assert.Equal("accepted 1 peers, skipped 1 lines", pushed.Summary);
        Assert.Equal(["line 2: address is not an IPv4 literal or a bracketed IPv6 literal"], pushed.Problems);
        Assert.Equal(["a"], (await lb.SampleAsync(4)).Distinct());
        Assert.Contains("pushed line 2: address is not an IPv4 literal or a bracketed IPv6 literal (skipped)", lb.Nginx.ReadErrorLog(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web nowhere 1 x\n", "no valid peer line")]
    [InlineData("too large", "413")] // nginx's client_max_body_size on the peers listener
    public async Task Push_WholeSetRefused_LastSetKeepsRouting(string body, string expectedReason)
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var a = await lb.AddBackendAsync("a");
        await lb.Client.PushAsync(PeerTestNginx.Line(a), CancellationToken.None);
        var before = await lb.Client.ReadAsync(CancellationToken.None);
        var text = body == "too large" ? new string('#', 1024 * 1024 + 10) : body;

        var refused = await Assert.ThrowsAsync<PeerEndpointException>(() => lb.Client.PushAsync(text, CancellationToken.None));

        Assert.Contains(expectedReason, refused.Message, StringComparison.Ordinal);
        Assert.False(refused.Unreachable);
        var after = await lb.Client.ReadAsync(CancellationToken.None);
        Assert.Equal((before.Text, before.Version), (after.Text, after.Version));
        Assert.Equal(["a"], (await lb.SampleAsync(4)).Distinct());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-secret-0123456789")]
    [InlineData(NginxTestServer.PushSecret + "x")]
    public async Task Push_WithoutTheSecret_401AndNothingChanges(string? secret)
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        await lb.Client.PushAsync("web 10.0.0.1:80 1 w1\n", CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Put, lb.Nginx.PeersEndpoint) { Content = new StringContent("web 10.0.0.2:80 1 evil\n") };
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        using var response = await PeerTestNginx.SharedHttp.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("web 10.0.0.1:80 1 w1\n", (await lb.Client.ReadAsync(CancellationToken.None)).Text);
    }

    [Fact]
    public async Task Request_AppWithoutPeers_503WithReason()
    {
        await using var lb = await PeerTestNginx.StartAsync(output, true, "web", "api");
        var a = await lb.AddBackendAsync("a");
        await lb.Client.PushAsync(PeerTestNginx.Line(a), CancellationToken.None);

        Assert.Equal(["503 no healthy instance of api"], (await lb.SampleAsync(2, "api.test")).Distinct());
        Assert.Equal(["a"], (await lb.SampleAsync(2)).Distinct());
    }

    [Fact]
    public async Task Request_DefaultAppWithoutUpstream_503WithReasonEvenWithPeers()
    {
        await using var lb = await PeerTestNginx.StartAsync(output, true, "api");
        var a = await lb.AddBackendAsync("a");
        await lb.Client.PushAsync(PeerTestNginx.Line(a, app: "web"), CancellationToken.None);

        Assert.Equal(["503 no healthy instance of web"], (await lb.SampleAsync(2, "anything.test")).Distinct());
    }

    [Fact]
    public async Task Balance_Weights3To1_SmoothWeightedRoundRobin()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var heavy = await lb.AddBackendAsync("heavy");
        var light = await lb.AddBackendAsync("light");
        await lb.Client.PushAsync(PeerTestNginx.Line(heavy, weight: 3) + PeerTestNginx.Line(light, weight: 1), CancellationToken.None);

        var answers = await lb.SampleAsync(80);

        // Each worker runs its own round; across workers the split stays within one pick per worker.
        var lightCount = answers.Count(answer => answer == "light");
        output.WriteLine($"heavy {answers.Count(answer => answer == "heavy")}, light {lightCount}");
        var summary = string.Join(", ", answers.GroupBy(answer => answer).Select(group => $"{group.Key} x{group.Count()}"));
        Assert.True(answers.All(answer => answer is "heavy" or "light"), summary);
        Assert.True(Math.Abs(lightCount - 20) <= Environment.ProcessorCount, summary);
    }

    [Fact]
    public async Task Balance_PeerAnswers503_RetriedOnAnotherPeer()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var good = await lb.AddBackendAsync("good");
        var failing = await lb.AddBackendAsync("failing");
        failing.FailAllRequests = true;
        await lb.Client.PushAsync(PeerTestNginx.Line(good) + PeerTestNginx.Line(failing), CancellationToken.None);

        Assert.Equal(["good"], (await lb.SampleAsync(10)).Distinct());
    }

    [Fact]
    public async Task Balance_PeerRefusesConnections_RetriedOnAnotherPeer()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var good = await lb.AddBackendAsync("good");
        await lb.Client.PushAsync(PeerTestNginx.Line(good) + $"web {lb.BackendAddress}:1 1 dead\n", CancellationToken.None);

        Assert.Equal(["good"], (await lb.SampleAsync(10)).Distinct());
    }

    [Fact]
    public async Task Push_TwentyChangesUnderKeepAliveLoad_WrkCountsNoFailure()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var backends = new[] { await lb.AddBackendAsync("a"), await lb.AddBackendAsync("b"), await lb.AddBackendAsync("c") };
        await lb.Client.PushAsync(PeerTestNginx.Line(backends[0]), CancellationToken.None);
        var workers = lb.Nginx.WorkerPids();

        var load = Wrk.RunAsync(new WrkOptions(lb.Nginx.BaseAddress, Connections: 4, TimeSpan.FromSeconds(4), RequestsPerSecond: 300, Host: PeerTestNginx.Host), CancellationToken.None);
        for (var change = 0; change < 20; change++)
        {
            await Task.Delay(150);
            var set = new StringBuilder();
            for (var i = 0; i < backends.Length; i++)
            {
                if (((change + 1) & (1 << i)) != 0)
                {
                    set.Append(PeerTestNginx.Line(backends[i]));
                }
            }

            await lb.Client.PushAsync(set.Length == 0 ? PeerTestNginx.Line(backends[2]) : set.ToString(), CancellationToken.None);
        }

        var result = await load;

        output.WriteLine(result.ToString());
        Assert.True(result.Requests > 500, result.ToString());
        Assert.Equal(0, result.Failed);
        Assert.Equal(workers, lb.Nginx.WorkerPids());
    }
}
