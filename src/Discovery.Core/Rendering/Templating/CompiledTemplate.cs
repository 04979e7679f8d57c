using Discovery.Core.Rendering.Templating.Evaluation;
using Discovery.Core.Rendering.Templating.Syntax;

namespace Discovery.Core.Rendering.Templating;

/// <summary>
/// A template in consul-template's language (the subset listed in the README), checked
/// completely when loaded. Immutable and safe to render from several threads at once.
/// </summary>
internal sealed class CompiledTemplate
{
    private readonly TemplateNode[] _nodes;
    private readonly int _variableCount;

    private CompiledTemplate(string fileName, TemplateNode[] nodes, int variableCount)
    {
        FileName = fileName;
        _nodes = nodes;
        _variableCount = variableCount;
    }

    /// <summary>The name used in error messages (usually the template's path).</summary>
    public string FileName { get; }

    /// <summary>Loads a template; anything outside the supported subset throws here, never at render time.</summary>
    /// <exception cref="TemplateException">With file, line and column of the first problem.</exception>
    public static CompiledTemplate Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var (nodes, variableCount) = TemplateParser.Parse(text, fileName);
        return new CompiledTemplate(fileName, nodes, variableCount);
    }

    /// <summary>
    /// Renders against <paramref name="data"/>, recording every dependency touched. When any data was
    /// not loaded yet the result has no output and lists what is missing; like consul-template, the
    /// render still runs to the end with empty values so that one pass discovers every dependency
    /// reachable without that data.
    /// </summary>
    /// <param name="data">The Consul data.</param>
    /// <param name="environment">Clock and environment variables; the real ones when null.</param>
    /// <exception cref="TemplateException">A data-dependent failure (e.g. index out of range) with complete data.</exception>
    public TemplateRenderResult Render(ITemplateDataSource data, RenderEnvironment? environment = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        var context = new RenderContext(data, environment ?? RenderEnvironment.System, FileName, _variableCount);
        try
        {
            foreach (var node in _nodes)
            {
                node.Execute(context, null);
            }
        }
        catch (TemplateException) when (context.Missing.Count > 0)
        {
            // Empty stand-ins for missing data can break a template that is fine with real data
            // (index 0 of a not-yet-loaded list); that is "incomplete", not an error.
            return new TemplateRenderResult(null, context.Used, context.Missing);
        }

        return new TemplateRenderResult(
            context.Missing.Count == 0 ? context.Output.ToString() : null,
            context.Used,
            context.Missing);
    }
}
