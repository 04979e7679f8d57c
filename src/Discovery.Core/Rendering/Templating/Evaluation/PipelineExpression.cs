namespace Discovery.Core.Rendering.Templating.Evaluation;

/// <summary>
/// <c>first | f a | g b</c>: each stage's value becomes the last argument of the next call. Every
/// stage runs once, in order, as in Go (this matters for which dependencies get recorded).
/// </summary>
internal sealed class PipelineExpression(Expression first, CallExpression[] stages)
    : Expression(first.Line, first.Column, stages[^1].Type)
{
    public override object? Evaluate(RenderContext context, object? dot)
    {
        var value = first.Evaluate(context, dot);
        foreach (var stage in stages)
        {
            value = stage.Invoke(context, dot, value, hasPiped: true);
        }

        return value;
    }
}
