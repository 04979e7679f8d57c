using Discovery.Core.Scaling.Operations;
using Discovery.Core.Scaling.Policies;
using Discovery.Core.Tests.TestSupport;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Scaling.Operations;

public sealed class AutoscaleOperationTests(ITestOutputHelper output) : ConsulScalingTestBase(output)
{
    [Fact]
    public async Task PauseThenResume_KnownApp_WritesOffThenOn()
    {
        var operation = new AutoscaleOperation(Client, "discovery", new Dictionary<string, ScalingPolicy> { ["web"] = ScalingPolicy.Default });

        var paused = await operation.PauseAsync("web", CancellationToken.None);
        var pausedValue = (await Client.KV.GetAsync("discovery/apps/web/autoscale")).Value!.ValueAsString();
        var resumed = await operation.ResumeAsync("web", CancellationToken.None);

        Assert.True(paused.Succeeded, paused.Message);
        Assert.Equal("off", pausedValue);
        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Equal("on", (await Client.KV.GetAsync("discovery/apps/web/autoscale")).Value!.ValueAsString());
    }

    [Fact]
    public async Task PauseAsync_UnknownApp_InvalidAndNothingWritten()
    {
        var result = await new AutoscaleOperation(Client, "discovery").PauseAsync("ghost", CancellationToken.None);

        Assert.Equal(OperationStatus.InvalidInput, result.Status);
        Assert.Contains("unknown app", result.Message, StringComparison.Ordinal);
        Assert.Empty((await Client.KV.ListAsync("discovery/")).Value);
    }
}
