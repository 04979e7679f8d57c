using Discovery.Core.Load;
using Discovery.Core.Tests.Rendering.Peers;
using Discovery.Testing.Load;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Load;

/// <summary>
/// nginx reloads close idle keep-alive connections; wrk counts a request sent into one as a read
/// error, HttpClient re-sends it or notices first. The counter must see those (real nginx, real reloads).
/// </summary>
public sealed class KeepAliveLossCounterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_NginxReloadsUnderKeepAliveLoad_LossesCountedAndFailedWithNoRetry()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var backend = await lb.AddBackendAsync("a");
        await lb.Client.PushAsync(PeerTestNginx.Line(backend), CancellationToken.None);
        var losses = new KeepAliveLossCounter();
        using var handler = losses.CreateHandler(4);
        var options = new LoadOptions(lb.Nginx.BaseAddress, 12_000, TimeSpan.FromSeconds(5), 4, PeerTestNginx.Host) { CountKeepAliveLossesAsFailed = true };

        var load = new LoadGenerator(handler, TimeProvider.System, losses).RunAsync(options, null, TimeSpan.FromSeconds(1), CancellationToken.None);
        var wrk = Wrk.RunAsync(new WrkOptions(lb.Nginx.BaseAddress, 4, TimeSpan.FromSeconds(5), 200, PeerTestNginx.Host), CancellationToken.None);
        for (var i = 0; i < 8; i++)
        {
            await Task.Delay(500);
            await lb.Nginx.ReloadAsync();
        }

        var summary = await load;
        var wrkResult = await wrk;

        output.WriteLine($"agent load: sent {summary.Sent}, ok {summary.Ok}, failed {summary.Failed}, keep-alive losses {summary.KeepAliveLosses}; wrk: {wrkResult}");
        Assert.True(summary.KeepAliveLosses >= 8, $"fewer keep-alive losses than reloads ({summary.KeepAliveLosses}, 8 reloads)");
        Assert.True(wrkResult.ReadErrors >= 8, $"wrk saw {wrkResult.ReadErrors} read errors over 8 reloads");
        Assert.Equal(summary.KeepAliveLosses, summary.FailuresByReason[LoadSnapshot.KeepAliveLossReason]);
        Assert.Equal(summary.Sent, summary.Ok + summary.Failed);
    }

    [Fact]
    public async Task RunAsync_NoReload_NoLoss()
    {
        await using var lb = await PeerTestNginx.StartAsync(output);
        var backend = await lb.AddBackendAsync("a");
        await lb.Client.PushAsync(PeerTestNginx.Line(backend), CancellationToken.None);
        var losses = new KeepAliveLossCounter();
        using var handler = losses.CreateHandler(4);
        var options = new LoadOptions(lb.Nginx.BaseAddress, 12_000, TimeSpan.FromSeconds(2), 4, PeerTestNginx.Host) { CountKeepAliveLossesAsFailed = true };

        var summary = await new LoadGenerator(handler, TimeProvider.System, losses).RunAsync(options, null, TimeSpan.FromSeconds(1), CancellationToken.None);

        Assert.Equal((400L, 400L, 0L, 0L), (summary.Sent, summary.Ok, summary.Failed, summary.KeepAliveLosses));
    }
}
