using System.Text;

namespace Discovery.Core.Observability;

/// <summary>The metrics list as a Markdown table: printed by `agent metrics list`, pasted in the README, compared by a test.</summary>
internal static class MetricTable
{
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| metric | type | labels | served by | meaning |\n|---|---|---|---|---|\n");
        foreach (var metric in MetricCatalog.All())
        {
            text.Append($"| `{metric.Name}` | {metric.Type} | {string.Join(", ", metric.Labels)} | {metric.Daemon} | {metric.Help.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
        }

        return text.ToString();
    }
}
