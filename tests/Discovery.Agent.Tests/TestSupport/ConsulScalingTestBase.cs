using Discovery.Consul;
using Discovery.Consul.Agent;
using Discovery.Testing.Consul;
using Xunit.Abstractions;

namespace Discovery.Agent.Tests.TestSupport;

/// <summary>One real Consul agent per test class, plus helpers to fake nothing but register what node agents would.</summary>
public abstract class ConsulScalingTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    protected ITestOutputHelper Output { get; } = output;

    protected ConsulTestServer Server { get; private set; } = null!;

    protected ConsulClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ConsulTestServer.StartAsync(Output);
        Client = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    /// <summary>Registers this Consul node's <c>discovery-agent</c>, passing, offering <paramref name="apps"/>.</summary>
    protected Task RegisterNodeAgentAsync(params string[] apps) =>
        Client.Agent.RegisterServiceAsync(new ServiceRegistration
        {
            ID = "discovery-agent-" + Server.NodeName,
            Name = "discovery-agent",
            Meta = new Dictionary<string, string> { ["apps"] = string.Join(",", apps) },
            Checks = [new CheckDefinition { Name = "agent alive", Ttl = TimeSpan.FromHours(1), Status = "passing" }],
        });

    /// <summary>Polls until <paramref name="condition"/> holds or fails the test after <paramref name="timeout"/>.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"not within {timeout.TotalSeconds}s: {because}");
    }
}
