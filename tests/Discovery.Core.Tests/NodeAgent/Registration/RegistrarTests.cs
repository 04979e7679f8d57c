using Discovery.Core.Tests.NodeAgent.Hosting;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.NodeAgent.Registration;

/// <summary>Registration of new instances against real Consul with real sample-app processes.</summary>
public sealed class RegistrarTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Register_SlowStartersNextToAFastOne_FastOneRegisteredWithoutWaitingForTheirProbes()
    {
        // Three instances answer /health 503 for 5 s; each readiness probe waits up to 3 s for them
        // (3 check intervals of 1 s). Probed one after another, the fast instance would wait behind
        // any slow one probed before it; probed side by side, it is registered first (it has 3 s to
        // start even on a busy machine).
        await using var harness = await NodeAgentTestHarness.CreateAsync(output);
        var slow = harness.WebApp(defaultInstances: 3, name: "slow") is var app
            ? app with
            {
                Args = [.. app.Args, "--startup-delay", "5000"],
                Ports = new(19100, 19149),
                Health = app.Health with { Interval = TimeSpan.FromSeconds(1) },
            }
            : null!;
        await harness.StartAgentAsync(harness.NodeConfig(slow, harness.WebApp()));

        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.InstancesAsync("web")).Count == 1, "the fast instance is registered");

        Assert.Empty(await harness.InstancesAsync("slow"));
        await NodeAgentTestHarness.EventuallyAsync(async () => (await harness.PassingAsync("slow")).Count == 3, "the slow instances pass in the end");
    }
}
