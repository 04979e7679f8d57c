using Discovery.Consul;
using Xunit;
using Xunit.Abstractions;

namespace Discovery.Testing.Consul;

/// <summary>One real Consul agent per test class (classes run in parallel, each on its own address).</summary>
public abstract class ConsulServerTestBase(ITestOutputHelper output) : IAsyncLifetime
{
    protected ITestOutputHelper Output { get; } = output;

    protected ConsulTestServer Server { get; private set; } = null!;

    protected ConsulClient Client { get; private set; } = null!;

    protected virtual ConsulTestServerOptions ServerOptions => new();

    public async Task InitializeAsync()
    {
        Server = await ConsulTestServer.StartAsync(Output, ServerOptions);
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

    /// <summary>Polls until <paramref name="condition"/> holds or fails the test after <paramref name="timeout"/>.</summary>
    protected static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string because) =>
        Eventually.UntilAsync(condition, timeout, () => because);
}
