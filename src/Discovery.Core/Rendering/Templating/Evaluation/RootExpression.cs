namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>$</c>: the data the running template was given. consul-template executes the main template
/// with nil; a <c>{{template "x" pipeline}}</c> call gives "x" the pipeline's value.
/// </summary>
internal sealed class RootExpression(int line, int column, TemplateType type) : Expression(line, column, type)
{
    public override object? Evaluate(RenderContext context, object? dot) => context.Root;
}
