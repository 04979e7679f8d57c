using Discovery.Core.Rendering.Catalog;
using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Catalog;

/// <summary>When a watch answer counts as a change for the renderer: equal content, built anew, is none.</summary>
public sealed class TemplateDataComparerTests
{
    private static TemplateServiceInstance Instance(string tag = "discovery", string version = "1", string status = "passing") =>
        new("n1", "127.0.0.1", "web-n1-9000", "web", "127.0.0.1", 9000, [tag], new Dictionary<string, string> { ["version"] = version, ["node"] = "n1" }, status);

    // The comparer's values are internal types, so xunit gets the case names.
    private static readonly Dictionary<string, (object? A, object? B, bool Equal)> Cases = new()
    {
        ["missing key, still missing"] = (null, null, true),
        ["key created"] = (null, "v", false),
        ["same key value"] = ("v", new string('v', 1), true),
        ["instances rebuilt with the same content"] = (new[] { Instance() }, new[] { Instance() }, true),
        ["meta in another order"] = (
            new[] { Instance() },
            new[] { Instance() with { ServiceMeta = new Dictionary<string, string> { ["node"] = "n1", ["version"] = "1" } } },
            true),
        ["a tag changed"] = (new[] { Instance() }, new[] { Instance(tag: "other") }, false),
        ["a meta value changed"] = (new[] { Instance() }, new[] { Instance(version: "2") }, false),
        ["went critical"] = (new[] { Instance() }, new[] { Instance(status: "critical") }, false),
        ["one instance more"] = (new[] { Instance() }, new[] { Instance(), Instance() with { ID = "web-n1-9001", Port = 9001 } }, false),
        ["catalog services rebuilt"] = (new[] { new TemplateCatalogService("web", ["a"]) }, new[] { new TemplateCatalogService("web", ["a"]) }, true),
        ["catalog service tags changed"] = (new[] { new TemplateCatalogService("web", ["a"]) }, new[] { new TemplateCatalogService("web", ["b"]) }, false),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Equals_Answers_SameOnlyWhenTheTemplateWouldSeeTheSame(string name)
    {
        var (a, b, equal) = Cases[name];
        Assert.Equal(equal, TemplateDataComparer.Instance.Equals(a, b));
        Assert.Equal(equal, TemplateDataComparer.Instance.Equals(b, a));
    }
}
