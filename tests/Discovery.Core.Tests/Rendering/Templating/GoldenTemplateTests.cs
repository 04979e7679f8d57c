using Discovery.Core.Rendering.Templating;

namespace Discovery.Core.Tests.Rendering.Templating;

/// <summary>
/// Each Golden/&lt;case&gt;.ctmpl rendered against Golden/catalog.json must equal
/// Golden/&lt;case&gt;.expected byte for byte. The expected files were produced by Go's own
/// text/template with consul-template's function semantics, so these pin the engine to the real thing.
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

        var result = template.Render(catalog);

        Assert.True(result.IsComplete, $"missing: {string.Join(", ", result.Missing)}");
        Assert.Equal(File.ReadAllText(Path.Combine(GoldenFolder, name + ".expected")), result.Output);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_SameCatalogTwice_IsByteIdentical(string name)
    {
        var template = CompiledTemplate.Parse(File.ReadAllText(Path.Combine(GoldenFolder, name + ".ctmpl")), name + ".ctmpl");

        var first = template.Render(FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));
        var second = template.Render(FixtureCatalog.Load(Path.Combine(GoldenFolder, "catalog.json")));

        Assert.Equal(first.Output, second.Output);
    }
}
