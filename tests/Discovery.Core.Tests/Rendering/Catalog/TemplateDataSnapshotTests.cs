using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Hosting;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Catalog;

public sealed class TemplateDataSnapshotTests
{
    public static TheoryData<string, string[]> RoutedCases => new()
    {
        { "discovery.web", ["web-n1-1", "web-n2-2"] },      // passing only, tag filter drops the untagged one
        { "web", ["web-n1-1", "web-n2-2"] },                 // no tag: every passing app instance (tagged discovery), none forged
        { "discovery.web|any", [] },                         // not passing-only: not what nginx routes
        { "discovery.web|passing,warning", [] },
    };

    [Theory]
    [MemberData(nameof(RoutedCases))]
    public void RoutedInstanceIds_ServiceQuery_ListsPassingInstancesSorted(string queryText, string[] expected)
    {
        Assert.True(ServiceQuery.TryParse(queryText, out var query, out _));
        var snapshot = new TemplateDataSnapshot(new Dictionary<TemplateDependency, object?>
        {
            [new ServiceDependency(query!)] = new List<TemplateServiceInstance>
            {
                Instance("web-n2-2", "passing", "discovery"),
                Instance("web-n1-1", "passing", "discovery"),
                Instance("web-n1-3", "critical", "discovery"),
                Instance("web-n3-4", "passing"),
                Instance("web-n4-5", "passing", "discovery") with { Address = "6.6.6.6" },   // not its node's address
                Instance("web-n5-6", "passing", "discovery") with { ID = "web-n5-7" },       // not <app>-<node>-<port>
            },
        });

        Assert.Equal(expected, snapshot.RoutedInstanceIds([new ServiceDependency(query!), CatalogServicesDependency.Instance]));
    }

    [Fact]
    public void TryGet_LoadedMissingKey_IsLoadedWithNullValue()
    {
        var snapshot = new TemplateDataSnapshot(new Dictionary<TemplateDependency, object?>
        {
            [new KeyDependency("a")] = null,
        });

        Assert.True(snapshot.TryGet(new KeyDependency("a"), out var value));
        Assert.Null(value);
        Assert.False(snapshot.TryGet(new KeyDependency("b"), out _));
        Assert.False(snapshot.TryGet(CatalogServicesDependency.Instance, out _));
    }

    [Theory]
    [InlineData(new string[0], "{\"instances\":[],\"at\":\"2026-01-02T03:04:05.678Z\"}")]
    [InlineData(new[] { "web-n1-9001", "web-n2-9002" }, "{\"instances\":[\"web-n1-9001\",\"web-n2-9002\"],\"at\":\"2026-01-02T03:04:05.678Z\"}")]
    public void Format_Instances_IsTheRoutedKeyJson(string[] ids, string expected)
    {
        var at = new DateTimeOffset(2026, 1, 2, 4, 4, 5, 678, TimeSpan.FromHours(1));

        Assert.Equal(expected, RoutedInstancesPublisher.Format(ids, at));
    }

    /// <summary>A believable instance: node and port from its ID (<c>web-&lt;node&gt;-&lt;port&gt;</c>), on its node's address.</summary>
    private static TemplateServiceInstance Instance(string id, string status, params string[] tags) =>
        new(id.Split('-')[1], "127.0.0.1", id, "web", "127.0.0.1", int.Parse(id.Split('-')[2], System.Globalization.CultureInfo.InvariantCulture), tags, new Dictionary<string, string>(), status);
}
