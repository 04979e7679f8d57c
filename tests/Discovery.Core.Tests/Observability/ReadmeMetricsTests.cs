using Discovery.Core.Observability;
using Discovery.Testing.Tools;

namespace Discovery.Core.Tests.Observability;

/// <summary>The README's metrics table is `agent metrics list`'s output: regenerate it when a metric changes.</summary>
public sealed class ReadmeMetricsTests
{
    [Fact]
    public async Task Readme_MetricsTable_EqualsTheRegisteredDefinitions()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(ToolPaths.RepoRoot, "README.md"));
        var begin = readme.IndexOf("<!-- metrics:begin (agent metrics list) -->\n", StringComparison.Ordinal);
        var end = readme.IndexOf("<!-- metrics:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "README.md has no metrics:begin/metrics:end markers");

        var table = readme[(begin + "<!-- metrics:begin (agent metrics list) -->\n".Length)..end];

        Assert.Equal(MetricTable.Markdown(), table);
    }
}
