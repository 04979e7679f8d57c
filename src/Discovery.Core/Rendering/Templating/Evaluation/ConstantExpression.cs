namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>A literal (string, number, bool, nil) or the root data <c>$</c>.</summary>
internal sealed class ConstantExpression(int line, int column, TemplateType type, object? value) : Expression(line, column, type)
{
    public object? Value { get; } = value;

    public override object? Evaluate(RenderContext context, object? dot) => Value;
}
