using Discovery.Consul.Queries;
using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Templating;
using Discovery.Testing.Consul;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Discovery.Core.Tests.Rendering.Catalog;

/// <summary>The renderer's watches against a real Consul: a change of data moves the version, a moved index alone does not.</summary>
public sealed class ConsulTemplateDataSourceTests(ITestOutputHelper output) : ConsulServerTestBase(output)
{
    [Fact]
    public async Task Track_MissingKeyAndServiceWhileOtherKeysAreWritten_VersionStays()
    {
        Assert.True(ServiceQuery.TryParse("web", out var query, out var error), error);
        await using var data = new ConsulTemplateDataSource(Client, QueryOptions.Default, null, null, NullLogger.Instance, TimeProvider.System);
        data.Track([new KeyDependency("lb/missing"), new ServiceDependency(query!)], removeUnused: true);
        await EventuallyAsync(() => Task.FromResult(data.Version == 2), TimeSpan.FromSeconds(10), "both dependencies loaded");

        for (var i = 0; i < 10; i++)
        {
            await Client.KV.PutStringAsync($"elsewhere/{i}", "v" + i);
        }

        await Task.Delay(1000);
        Assert.Equal(2, data.Version);

        await Client.KV.PutStringAsync("lb/missing", "now here");
        await EventuallyAsync(() => Task.FromResult(data.Version == 3), TimeSpan.FromSeconds(10), "the key's creation is a change");
        Assert.True(data.Snapshot().TryGet(new KeyDependency("lb/missing"), out var value));
        Assert.Equal("now here", value);
    }
}
