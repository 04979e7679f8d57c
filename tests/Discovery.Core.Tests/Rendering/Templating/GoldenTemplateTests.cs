using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Templating;

/// <summary>
/// Each Golden/&lt;case&gt;.ctmpl rendered against Golden/catalog.json must equal
/// Golden/&lt;case&gt;.expected byte for byte. The expected files are written by Go's own
/// text/template: GoldenGenerator/main.go (run <c>go run . ../Golden</c> in that folder, Go 1.19+,
/// standard library only) registers every function with consul-template's semantics (read from
/// its documentation and source; consul-template itself cannot be built here) over the same
/// catalog.json, so these pin the engine to the real thing rather than to itself.
/// </summary>
public sealed class GoldenTemplateTests
{
    private static readonly string GoldenFolder = Path.Combine(AppContext.BaseDirectory, "Rendering", "Templating", "Golden");

    public static TheoryData<string> Cases()
    {
        var cases = new TheoryData<string>();
        foreach (var template in Directory.GetFiles(GoldenFolder, "*.ctmpl").Order(StringComparer.Ordinal))
        {
            cases.Add(Path.GetFileNameWithoutExtension(template));
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_GoldenCase_MatchesExpectedFile(string name)
    {
        var template = CompiledTemplate.Parse(File.ReadAllText(Path.Combine(GoldenFolder, name + ".ctmpl")), name + ".ctmpl");
        var catalog = FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json"));

        var result = template.Render(catalog, catalog.Environment);

        Assert.True(result.IsComplete, $"missing: {string.Join(", ", result.Missing)}");
        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, name + ".expected")), result.Output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_SameCatalogTwice_IsByteIdentical(string name)
    {
        var template = CompiledTemplate.Parse(File.ReadAllText(Path.Combine(GoldenFolder, name + ".ctmpl")), name + ".ctmpl");

        var catalog = FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json"));
        var first = template.Render(catalog, catalog.Environment);
        var second = template.Render(FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")), catalog.Environment);

        Assert.Equal(first.Output, second.Output);
    }
}
