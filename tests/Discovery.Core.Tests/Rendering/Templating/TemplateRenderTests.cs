using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Templating;

/// <summary>Dependency recording, incomplete data and render-time errors.</summary>
public sealed class TemplateRenderTests
{
    private static FixtureCatalog Catalog() =>
        FixtureCatalog.Load(Path.Combine(AppContext.BaseDirectory, "Rendering", "Templating", "Golden", "catalog.json"));

    private static TemplateRenderResult Render(string text, ITemplateDataSource data) =>
        CompiledTemplate.Parse(text, "case.ctmpl").Render(data);

    [Fact]
    public void Render_EveryDataFunction_RecordsDependenciesInFirstUseOrderWithoutDuplicates()
    {
        var result = Render(
            """
            {{ range services }}{{ range service .Name }}{{ end }}{{ end }}
            {{ key "discovery/lb/default-app" }}{{ keyOrDefault "/discovery/lb/default-app" "x" }}
            {{ len (service "canary.web|passing,warning") }}{{ len (service "web" "any") }}{{ len (service "web") }}
            """,
            Catalog());

        Assert.True(result.IsComplete);
        Assert.Equal(
            [
                "catalog.services",
                "health.service(Admin|passing)",
                "health.service(api|passing)",
                "health.service(discovery-agent|passing)",
                "health.service(lb|passing)",
                "health.service(web|passing)",
                "kv.get(discovery/lb/default-app)",
                "health.service(canary.web|passing,warning)",
                "health.service(web|any)",
            ],
            result.Dependencies.Select(dependency => dependency.ToString()));
    }

    [Fact]
    public void Render_SameQueryInALoop_AsksTheDataSourceOnce()
    {
        var catalog = Catalog();

        Render("{{ range services }}{{ len (service \"web\") }}{{ end }}", catalog);

        Assert.Single(catalog.ServiceQueries);
    }

    [Fact]
    public void Render_ServiceNotLoaded_IsIncompleteWithoutOutput()
    {
        var catalog = Catalog();
        catalog.ServicesNotLoaded.Add("api");

        var result = Render("{{ range service \"web\" }}{{ .ID }}{{ end }}{{ range service \"api\" }}{{ .ID }}{{ end }}", catalog);

        Assert.False(result.IsComplete);
        Assert.Null(result.Output);
        Assert.Equal([new ServiceDependency(new ServiceQuery("api", null, ServiceHealthFilter.Passing))], result.Missing);
        Assert.Equal(2, result.Dependencies.Count);
    }

    [Fact]
    public void Render_CatalogNotLoaded_ReportsOnlyWhatWasReachable()
    {
        var catalog = Catalog();
        catalog.CatalogNotLoaded = true;

        var result = Render("{{ range services }}{{ range service .Name }}{{ end }}{{ end }}{{ key \"discovery/lb/default-app\" }}", catalog);

        Assert.False(result.IsComplete);
        Assert.Equal([CatalogServicesDependency.Instance], result.Missing);
        Assert.Equal(
            [CatalogServicesDependency.Instance, new KeyDependency("discovery/lb/default-app")],
            result.Dependencies);
    }

    [Theory]
    [InlineData("{{ key \"discovery/absent\" }}", false)]
    [InlineData("{{ keyOrDefault \"discovery/absent\" \"d\" }}", true)]
    [InlineData("{{ keyOrDefault \"discovery/absent\" \"d\" }}{{ key \"discovery/absent\" }}", false)]
    public void Render_AbsentKey_BlocksOnlyKeyLikeConsulTemplate(string text, bool complete)
    {
        var result = Render(text, Catalog());

        Assert.Equal(complete, result.IsComplete);
        Assert.Equal([new KeyDependency("discovery/absent")], result.Dependencies);
    }

    [Fact]
    public void Render_KeyNotLoaded_IsIncomplete()
    {
        var catalog = Catalog();
        catalog.KeysNotLoaded.Add("discovery/lb/default-app");

        var result = Render("{{ keyOrDefault \"discovery/lb/default-app\" \"web\" }}", catalog);

        Assert.False(result.IsComplete);
        Assert.Equal([new KeyDependency("discovery/lb/default-app")], result.Missing);
    }

    [Fact]
    public void Render_ErrorCausedByMissingData_IsIncompleteNotAnError()
    {
        var catalog = Catalog();
        catalog.ServicesNotLoaded.Add("web");

        var result = Render("{{ (index (service \"web\") 0).Address }}", catalog);

        Assert.False(result.IsComplete);
    }

    [Theory]
    [InlineData("{{ (index (service \"api\") 0).ID }}", 1, 5, "error calling index: index out of range: 0")]
    [InlineData("{{ $q := \"web|pasing\" }}{{ len (service $q) }}", 1, 33, "error calling service: service query \"web|pasing\": unknown health filter")]
    [InlineData("{{ $x := or \"\" 1 }}{{ lt $x \"a\" }}", 1, 23, "error calling lt: incompatible types for comparison: int and string")]
    [InlineData("{{ $x := or \"\" 1 }}\n{{ range $x }}{{ end }}", 2, 10, "range can't iterate over int")]
    public void Render_DataDependentFailureWithCompleteData_ThrowsWithPosition(string text, int line, int column, string reason)
    {
        var template = CompiledTemplate.Parse(text, "case.ctmpl");

        var error = Assert.Throws<TemplateException>(() => template.Render(Catalog()));

        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Render_InstancesInAnyOrder_SortedByNodeThenId()
    {
        TemplateServiceInstance Instance(string node, string id) =>
            new(node, "127.0.0.1", id, "app", "127.0.0.1", 1, ["b", "a"], new Dictionary<string, string>(), "passing");
        var shuffled = new FixtureCatalog([Instance("n2", "app-1"), Instance("n1", "app-2"), Instance("n1", "app-10"), Instance("N3", "app-0")]);

        var result = Render("{{ range service \"app\" }}{{ .Node }}/{{ .ID }}/{{ .Tags }} {{ end }}", shuffled);

        Assert.Equal("N3/app-0/[a b] n1/app-10/[a b] n1/app-2/[a b] n2/app-1/[a b] ", result.Output);
    }
}
