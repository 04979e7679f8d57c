namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>.</c>: the current value (changed by range and with).</summary>
internal sealed class DotExpression(int line, int column, TemplateType type) : Expression(line, column, type)
{
    public override object? Evaluate(RenderContext context, object? dot) => dot;
}
