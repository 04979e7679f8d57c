namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary><c>$name</c>: a slot assigned when the template was loaded (scopes are lexical).</summary>
internal sealed class VariableExpression(int line, int column, TemplateType type, int slot) : Expression(line, column, type)
{
    public override object? Evaluate(RenderContext context, object? dot) => context.Variables[slot];
}
